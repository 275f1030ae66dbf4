# expect: nothing
FROM python:3.12-slim
RUN python3 - <<'PY'
# SentenceTransformer('x') would download
print('ok')
PY
