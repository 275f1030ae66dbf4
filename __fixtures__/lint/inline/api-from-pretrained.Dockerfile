# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from transformers import AutoModel; AutoModel.from_pretrained('bert-base-uncased')"
