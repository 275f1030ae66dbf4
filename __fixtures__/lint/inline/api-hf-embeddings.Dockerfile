# expect: model-download-in-build@3
FROM python:3.12-slim
RUN python -c "from langchain_huggingface import HuggingFaceEmbeddings; HuggingFaceEmbeddings(model_name='x')"
