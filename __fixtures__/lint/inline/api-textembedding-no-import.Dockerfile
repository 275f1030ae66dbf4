# expect: nothing
FROM python:3.12-slim
RUN python -c "x = TextEmbedding('a')"
