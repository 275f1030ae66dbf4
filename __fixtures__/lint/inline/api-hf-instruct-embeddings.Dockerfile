# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from langchain.embeddings import HuggingFaceInstructEmbeddings as E; HuggingFaceInstructEmbeddings(model_name='hkunlp/instructor-large')"
