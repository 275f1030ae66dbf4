# expect: cuda-torch@3
FROM python:3.12-slim
RUN uv pip install --system --no-cache torch
