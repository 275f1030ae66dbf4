# expect: nothing
FROM python:3.12-slim
ARG DOWNLOAD=no
RUN <<EOF
if [ "$DOWNLOAD" = "yes" ]; then
  huggingface-cli download org/m
fi
EOF
