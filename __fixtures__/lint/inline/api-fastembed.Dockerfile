# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from fastembed import TextEmbedding; TextEmbedding('BAAI/bge-small-en-v1.5')"
