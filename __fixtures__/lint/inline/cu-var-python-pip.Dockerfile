# expect: cuda-torch@3
FROM python:3.12-slim
RUN ${PYTHON_EXE} -m pip install --no-cache-dir torchvision
