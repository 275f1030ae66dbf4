# expect: toolchain-in-final-stage@3
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends g++-12 && rm -rf /var/lib/apt/lists/*
