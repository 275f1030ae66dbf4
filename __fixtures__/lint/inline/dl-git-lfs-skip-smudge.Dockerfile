# expect: nothing
FROM python:3.12-slim
RUN git lfs install --skip-smudge && git clone https://github.com/example-org/app /srv/app
