# expect: cuda-torch@5
FROM python:3.12-slim
ARG DEVICE=cuda
RUN case "$DEVICE" in \
      cuda|gpu) pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121 ;; \
      *) pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu ;; \
    esac
