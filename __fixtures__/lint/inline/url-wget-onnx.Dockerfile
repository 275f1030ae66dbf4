# expect: model-download-in-build@3
FROM python:3.12-slim
RUN wget -q https://github.com/x/y/releases/download/v1/model.onnx -O /m.onnx
