# expect: nothing
FROM python:3.12-slim
ARG PRELOAD=false
RUN if [ "$PRELOAD" = "true" ]; then python -c "import whisper; whisper.load_model('base')"; fi
