# expect: model-download-in-build@3
FROM python:3.12-slim
RUN git lfs install --system && git -C /srv -c advice.detachedHead=false clone -b v2 https://github.com/example-org/ocr-data
