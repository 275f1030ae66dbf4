# expect: nothing
FROM python:3.12-slim
RUN git lfs install && GIT_LFS_SKIP_SMUDGE=1 git clone https://github.com/example-org/app /srv/app
