# expect: model-download-in-build@3
FROM python:3.12-slim
RUN git lfs clone https://github.com/example-org/asr-assets /srv/asr
