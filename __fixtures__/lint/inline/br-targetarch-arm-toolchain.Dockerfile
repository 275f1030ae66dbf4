# expect: toolchain-in-final-stage@5
FROM python:3.12-slim
ARG TARGETARCH
RUN if [ "$TARGETARCH" = "amd64" ]; then \
      apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*; \
    fi
