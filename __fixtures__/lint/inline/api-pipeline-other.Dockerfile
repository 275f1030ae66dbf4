# expect: nothing
FROM python:3.12-slim
RUN python -c "from sklearn.pipeline import make_pipeline; pipeline('x')"
