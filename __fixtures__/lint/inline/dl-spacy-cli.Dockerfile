# expect: model-download-in-build@3
FROM python:3.12-slim
RUN spacy download en_core_web_sm
