# expect: nothing
FROM python:3.12-slim
ARG DEVICE=cpu
RUN case "$DEVICE" in \
      cuda) pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121 ;; \
      *) pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu ;; \
    esac
