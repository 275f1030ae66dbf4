# expect: cache-busting-copy@5
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /bin/uv
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
