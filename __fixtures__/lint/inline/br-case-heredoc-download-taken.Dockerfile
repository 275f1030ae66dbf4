# expect: model-download-in-build@6
FROM python:3.12-slim
ARG PRELOAD=whisper
RUN <<EOF
case "$PRELOAD" in
  whisper) python -c "import whisper; whisper.load_model('base')" ;;
  none) echo "models are downloaded at start" ;;
esac
EOF
