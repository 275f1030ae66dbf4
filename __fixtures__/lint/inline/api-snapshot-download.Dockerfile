# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from huggingface_hub import snapshot_download; snapshot_download('org/m')"
