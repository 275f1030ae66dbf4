# expect: model-download-in-build@3
FROM python:3.12-slim
RUN curl -o /c.ckpt s3://bucket/c.ckpt
