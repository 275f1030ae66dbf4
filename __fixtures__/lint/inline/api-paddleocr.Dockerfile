# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from paddleocr import PaddleOCR; PaddleOCR(lang='en')"
