# expect: nothing
FROM python:3.12-slim
WORKDIR /app
RUN git clone --depth 1 https://github.com/example-org/models && pip install --no-cache-dir ./models
