# expect: model-download-in-build@4
FROM python:3.12-slim
ARG MODEL_DIR
RUN if [ -z "$MODEL_DIR" ]; then huggingface-cli download org/m; fi
