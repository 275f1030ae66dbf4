# expect: model-download-in-build@3
FROM python:3.12-slim
RUN curl -L -o /m.safetensors https://example.org/m.safetensors
