# expect: model-download-in-build@3
FROM python:3.12-slim
RUN modelscope download --model qwen/Qwen2-0.5B
