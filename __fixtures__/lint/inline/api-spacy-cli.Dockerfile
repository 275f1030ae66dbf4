# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import spacy.cli; spacy.cli.download('en_core_web_sm')"
