# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from rembg import new_session; new_session('u2net')"
