# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import ollama; ollama.pull('llama3.2')"
