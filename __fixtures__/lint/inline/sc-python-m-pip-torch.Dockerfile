# expect: cuda-torch@3
FROM python:3.12-slim
RUN python3.12 -m pip install --no-cache-dir torch
