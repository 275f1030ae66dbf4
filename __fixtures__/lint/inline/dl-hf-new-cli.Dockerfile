# expect: model-download-in-build@3
FROM python:3.12-slim
RUN hf download BAAI/bge-small-en-v1.5 --local-dir /models
