# expect: nothing
FROM python:3.12-slim
RUN python -c "print(1)  # no from_pretrained here"
