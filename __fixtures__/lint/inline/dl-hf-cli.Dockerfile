# expect: model-download-in-build@3
FROM python:3.12-slim
RUN huggingface-cli download BAAI/bge-small-en-v1.5
