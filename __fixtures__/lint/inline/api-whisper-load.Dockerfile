# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import whisper; whisper.load_model('base')"
