# expect: model-download-in-build@3
FROM python:3.12-slim
RUN git clone --depth 1 https://github.com/example-org/detector ${HOME:-/root}/../models/detector
