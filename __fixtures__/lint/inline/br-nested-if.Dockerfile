# expect: nothing
FROM python:3.12-slim
ARG A=1
ARG B=0
RUN if [ "$A" = "1" ]; then \
      if [ "$B" = "1" ]; then huggingface-cli download org/m; fi; \
    fi
