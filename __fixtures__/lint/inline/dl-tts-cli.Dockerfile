# expect: model-download-in-build@3
FROM python:3.12-slim
RUN tts --model_name tts_models/en/ljspeech/vits --text hi --out_path /tmp/x.wav
