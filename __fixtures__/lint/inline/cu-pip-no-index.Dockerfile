# expect: nothing
FROM python:3.12-slim
COPY wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels torch
