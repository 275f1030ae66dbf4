# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from huggingface_hub import hf_hub_download; hf_hub_download('org/m', 'w.bin')"
