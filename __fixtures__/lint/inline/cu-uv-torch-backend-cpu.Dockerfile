# expect: nothing
FROM python:3.12-slim
RUN uv pip install --system --no-cache --torch-backend=cpu torch
