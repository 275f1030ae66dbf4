# expect: nothing
FROM python:3.12-slim
ARG GPU=no
RUN if test "$GPU" = "yes"; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi
