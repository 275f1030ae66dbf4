# expect: model-download-in-build@3
FROM python:3.12-slim
RUN wget https://modelscope.cn/models/qwen/Qwen2/resolve/master/a.json
