# expect: package-cache-in-layer@3
FROM python:3.12-slim
RUN pip install flask
