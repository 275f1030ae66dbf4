# expect: model-download-in-build@5
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git git-lfs && rm -rf /var/lib/apt/lists/* && git lfs install
WORKDIR /srv
RUN git clone --depth 1 https://github.com/example-org/voice-assets.git assets
