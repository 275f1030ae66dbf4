# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "import urllib.request as u; u.urlretrieve('https://example.org/m/net.pth', '/net.pth')"
