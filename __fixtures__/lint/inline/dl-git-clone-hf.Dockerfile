# expect: model-download-in-build@3
FROM python:3.12-slim
RUN git clone https://huggingface.co/BAAI/bge-small-en-v1.5 /models/bge
