# expect: nothing
FROM python:3.12-slim
WORKDIR /app
COPY src ./src
RUN pip install --no-cache-dir flask
