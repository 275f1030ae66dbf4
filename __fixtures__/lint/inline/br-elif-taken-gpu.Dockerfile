# expect: cuda-torch@5
FROM python:3.12-slim
ARG TORCH=cu121
RUN if [ "$TORCH" = "cpu" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; \
    elif [ "$TORCH" = "cu121" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
