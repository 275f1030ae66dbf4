# expect: nothing
FROM python:3.12-slim
ARG USE_CUDA=
ENV USE_CUDA_DOCKER=${USE_CUDA-true}
RUN if [ "$USE_CUDA_DOCKER" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
