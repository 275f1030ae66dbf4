# expect: nothing
FROM python:3.12-slim
RUN python -c "import transformers, torch; print(transformers.__version__)"
