# expect: cuda-torch@2
FROM vllm/vllm-openai:v0.6.0
RUN echo hi
