# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -m gdown 1AbCdEf -O /w.pt
