# expect: nothing
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 -b v1.2.0 https://github.com/example-org/tool.git /opt/tool && pip install --no-cache-dir /opt/tool
