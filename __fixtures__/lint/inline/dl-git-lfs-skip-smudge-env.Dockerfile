# expect: nothing
FROM python:3.12-slim
ENV GIT_LFS_SKIP_SMUDGE=1
RUN git lfs install && git clone https://github.com/example-org/app /srv/app
