# expect: model-download-in-build@5
FROM python:3.12-slim
RUN python3 - <<'PY'
from sentence_transformers import SentenceTransformer
SentenceTransformer('all-MiniLM-L6-v2')
PY
