# expect: model-download-in-build@4
FROM python:3.12-slim
ARG PYTHON=python3
RUN ${PYTHON} -m spacy download en_core_web_sm
