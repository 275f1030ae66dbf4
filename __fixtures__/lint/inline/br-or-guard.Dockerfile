# expect: nothing
FROM python:3.12-slim
ARG SKIP_MODELS=1
RUN [ "$SKIP_MODELS" = "1" ] || python -m spacy download en_core_web_sm
