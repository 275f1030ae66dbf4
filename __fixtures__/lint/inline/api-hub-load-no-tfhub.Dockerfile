# expect: nothing
FROM python:3.12-slim
RUN python -c "import mylib as hub; hub.load('x')"
