# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from faster_whisper import WhisperModel; WhisperModel('small', device='cpu')"
