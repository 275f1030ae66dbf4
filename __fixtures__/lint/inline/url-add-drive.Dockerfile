# expect: model-download-in-build@3
FROM python:3.12-slim
ADD https://drive.google.com/uc?id=1AbC /models/w
