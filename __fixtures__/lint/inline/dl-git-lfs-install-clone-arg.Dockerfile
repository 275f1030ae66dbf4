# expect: model-download-in-build@5
FROM python:3.12-slim
ARG REPO
RUN apt-get update && apt-get install -y --no-install-recommends git git-lfs && rm -rf /var/lib/apt/lists/*
RUN git lfs install && git clone ${REPO} /srv/src && python /srv/src/convert.py
