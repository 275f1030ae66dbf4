# expect: cuda-torch@3
FROM python:3.12-slim
RUN pip install --no-cache-dir "tensorflow[and-cuda]"
