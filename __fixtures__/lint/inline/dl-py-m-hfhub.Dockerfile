# expect: nothing
FROM python:3.12-slim
RUN python -m huggingface_hub.commands.huggingface_cli download x/y
