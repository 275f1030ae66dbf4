# expect: nothing
FROM python:3.12-slim
RUN git clone --depth 1 https://github.com/psf/requests /src/requests
