# expect: model-download-in-build@3
FROM ollama/ollama:0.5.7
RUN ollama serve & sleep 3 && ollama pull llama3.2
