# expect: model-download-in-build@3
FROM python:3.12-slim
RUN wget "https://drive.google.com/uc?export=download&id=1AbC" -O /w
