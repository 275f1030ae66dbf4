# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from sentence_transformers import SentenceTransformer; SentenceTransformer('all-MiniLM-L6-v2')"
