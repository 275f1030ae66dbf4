# expect: nothing
FROM python:3.12-slim
RUN wget http://example.org/images/test.png
