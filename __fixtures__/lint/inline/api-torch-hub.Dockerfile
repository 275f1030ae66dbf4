# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import torch; torch.hub.load('ultralytics/yolov5', 'yolov5s')"
