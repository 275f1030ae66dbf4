# expect: package-cache-in-layer@4
FROM python:3.12-slim
ARG USE_CUDA
RUN if [ "$USE_CUDA" = "true" ]; then pip install torch --index-url https://download.pytorch.org/whl/cu121; else pip install torch --index-url https://download.pytorch.org/whl/cpu; fi
