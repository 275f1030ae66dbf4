# expect: cuda-torch@2
FROM ghcr.io/coqui-ai/tts:v0.22.0
RUN echo hi
