# expect: model-download-in-build@4
FROM debian:12-slim
COPY gdown.pl /usr/local/bin/gdown.pl
RUN gdown.pl "https://drive.google.com/open?id=XYZ" /models/x.pkl
