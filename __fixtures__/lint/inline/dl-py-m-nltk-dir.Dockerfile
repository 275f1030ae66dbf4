# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python3 -m nltk.downloader -d /usr/share/nltk_data all
