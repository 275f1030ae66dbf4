# expect: model-download-in-build@3
FROM python:3.12-slim
RUN wget https://example.org/models/buffalo_l.zip && unzip buffalo_l.zip
