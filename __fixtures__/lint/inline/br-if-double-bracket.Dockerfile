# expect: nothing
FROM python:3.12-slim
ARG DEVICE=cpu
RUN if [[ $DEVICE == cuda ]]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
