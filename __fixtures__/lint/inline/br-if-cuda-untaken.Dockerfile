# expect: nothing
FROM python:3.12-slim
ARG USE_CUDA=false
RUN if [ "$USE_CUDA" = "true" ]; then \
      pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; \
    else \
      pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; \
    fi
