# expect: nothing
FROM python:3.12-slim
ARG WITH_ASSETS=false
RUN if [ "$WITH_ASSETS" = "true" ]; then git lfs install; fi && git clone https://github.com/example-org/app /srv/app
