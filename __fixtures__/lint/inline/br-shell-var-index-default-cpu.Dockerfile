# expect: nothing
FROM python:3.12-slim
ARG USE_CUDA=false
RUN if [ "$USE_CUDA" = "true" ]; then IDX=cu121; else IDX=cpu; fi && \
    pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/$IDX
