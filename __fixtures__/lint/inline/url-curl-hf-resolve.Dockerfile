# expect: model-download-in-build@3
FROM python:3.12-slim
RUN curl -LO https://huggingface.co/org/m/resolve/main/config.json
