# expect: nothing
FROM python:3.12-slim
ARG PRELOAD=false
RUN [ "$PRELOAD" = "true" ] && huggingface-cli download org/m && echo done; echo always
