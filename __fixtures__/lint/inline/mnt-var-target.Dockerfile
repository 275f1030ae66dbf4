# expect: nothing
FROM python:3.12-slim
ENV PIP_CACHE_DIR=/root/.cache/pip
RUN --mount=type=cache,target=${PIP_CACHE_DIR} pip install flask
