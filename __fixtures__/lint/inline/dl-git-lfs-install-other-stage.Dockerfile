# expect: model-download-in-build@3
FROM python:3.12-slim AS assets
RUN git lfs install && git clone https://github.com/example-org/assets /srv/assets

FROM python:3.12-slim
COPY --from=assets /srv/assets /srv/assets
RUN git clone https://github.com/example-org/app /srv/app
