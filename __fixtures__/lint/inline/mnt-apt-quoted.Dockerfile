# expect: nothing
FROM debian:12-slim
RUN --mount=type=cache,target="/var/cache/apt" --mount=type=cache,target="/var/lib/apt/lists" apt-get update && apt-get install -y --no-install-recommends curl
