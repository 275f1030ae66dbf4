# expect: nothing
FROM python:3.12-slim
ARG VARIANT=cpu
ENV VARIANT=${VARIANT}
RUN if [ "$VARIANT" = "cuda" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
