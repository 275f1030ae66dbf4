# expect: cuda-torch@5
ARG USE_CUDA=true
FROM python:3.12-slim
ARG USE_CUDA
RUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
