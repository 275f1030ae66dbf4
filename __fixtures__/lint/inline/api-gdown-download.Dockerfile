# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import gdown; gdown.download(id='1AbC', output='/w.pth')"
