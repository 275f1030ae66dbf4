# expect: nothing
FROM python:3.12-slim
RUN wget https://example.org/src/tool-1.2.tar.gz
