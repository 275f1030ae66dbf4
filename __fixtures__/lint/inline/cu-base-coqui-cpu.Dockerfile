# expect: nothing
FROM ghcr.io/coqui-ai/tts-cpu:v0.22.0
RUN echo hi
