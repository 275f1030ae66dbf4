# expect: model-download-in-build@6
FROM python:3.12-slim AS base
RUN git lfs install

FROM base
RUN git clone https://gitlab.example.com/team/speech.git /srv/speech
