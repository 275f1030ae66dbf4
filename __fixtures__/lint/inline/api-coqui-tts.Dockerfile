# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from TTS.api import TTS; TTS('tts_models/en/ljspeech/vits')"
