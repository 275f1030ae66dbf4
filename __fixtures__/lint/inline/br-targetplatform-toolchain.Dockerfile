# expect: nothing
FROM python:3.12-slim
ARG TARGETPLATFORM
RUN if [ "$TARGETPLATFORM" != "linux/amd64" ]; then \
      apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*; \
    fi
