# expect: nothing
FROM python:3.12-slim
RUN curl -fsSL https://example.org/install.sh -o /tmp/i.sh
