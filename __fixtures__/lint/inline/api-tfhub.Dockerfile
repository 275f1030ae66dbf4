# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import tensorflow_hub as hub; hub.load('https://tfhub.dev/google/universal-sentence-encoder/4')"
