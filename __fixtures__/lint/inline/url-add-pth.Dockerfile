# expect: model-download-in-build@3
FROM python:3.12-slim
ADD https://example.org/m/net.pth /models/net.pth
