# expect: model-download-in-build@3
FROM python:3.12-slim
RUN aria2c -x 8 https://example.org/llama.gguf
