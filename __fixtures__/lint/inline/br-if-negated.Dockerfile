# expect: nothing
FROM python:3.12-slim
ARG CPU_ONLY=1
RUN if ! [ "$CPU_ONLY" = "1" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
