# expect: nothing
FROM python:3.12-slim
ARG PRELOAD_MODEL=
RUN if [ -n "$PRELOAD_MODEL" ]; then huggingface-cli download "$PRELOAD_MODEL"; fi
