# expect: model-download-in-build@4
FROM python:3.12-slim
ARG REPO
RUN git clone "$REPO" /opt/app/weights
