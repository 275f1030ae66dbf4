# expect: model-download-in-build@3
FROM python:3.12-slim
RUN whisper --model=tiny x.wav || true
