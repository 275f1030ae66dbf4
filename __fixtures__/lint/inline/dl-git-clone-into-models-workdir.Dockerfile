# expect: model-download-in-build@5
FROM python:3.12-slim
ARG REPO=https://github.com/example-org/tagger
WORKDIR /models
RUN git clone ${REPO}
