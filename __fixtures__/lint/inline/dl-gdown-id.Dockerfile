# expect: model-download-in-build@3
FROM python:3.12-slim
RUN gdown 1AbCdEfGhIjKlMnOp -O /models/w.pth
