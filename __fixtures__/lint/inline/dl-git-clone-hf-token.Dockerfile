# expect: model-download-in-build@4
FROM python:3.12-slim
ARG HF_USER=x
RUN git clone https://user:hf_secret@huggingface.co/org/model /m
