# expect: nothing
FROM python:3.12-slim
RUN python -c "import urllib.request as u; u.urlretrieve('https://example.org/data.csv', '/d.csv')"
