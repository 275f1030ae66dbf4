# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import timm; timm.create_model('resnet50', pretrained=True)"
