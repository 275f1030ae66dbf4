# expect: cache-busting-copy@5
FROM python:3.12-slim
WORKDIR /app
RUN pip install --no-cache-dir poetry
COPY . .
RUN poetry install --no-interaction
