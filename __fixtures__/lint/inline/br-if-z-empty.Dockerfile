# expect: model-download-in-build@4
FROM python:3.12-slim
ARG SKIP_MODEL=
RUN if [ -z "$SKIP_MODEL" ]; then huggingface-cli download org/m; fi
