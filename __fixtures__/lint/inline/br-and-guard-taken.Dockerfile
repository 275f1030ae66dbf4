# expect: model-download-in-build@4
FROM python:3.12-slim
ARG PRELOAD=true
RUN [ "$PRELOAD" = "true" ] && huggingface-cli download org/m
