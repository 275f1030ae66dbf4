# expect: cache-busting-copy@4
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir pdm && pdm install --prod
