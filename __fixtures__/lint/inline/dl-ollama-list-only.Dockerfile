# expect: nothing
FROM ollama/ollama:0.5.7
RUN ollama --version
