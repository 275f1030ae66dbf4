# expect: model-download-in-build@4
FROM python:3.12-slim
ARG USE_CUDA=false
RUN if [ "$USE_CUDA" = "true" ]; then echo gpu; fi && huggingface-cli download org/m
