# expect: cache-busting-copy@4
FROM python:3.12-slim
WORKDIR /app
ADD . /app
RUN pip install --no-cache-dir flask
