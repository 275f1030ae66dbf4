# expect: model-download-in-build@3
FROM python:3.12-slim
RUN $PYTHON_BIN -c "import nltk; nltk.download('punkt')"
