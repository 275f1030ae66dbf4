# expect: nothing
FROM python:3.12-slim
ARG TORCH=cpu
RUN if [ "$TORCH" = "cu121" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; \
    elif [ "$TORCH" = "cpu" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; fi
