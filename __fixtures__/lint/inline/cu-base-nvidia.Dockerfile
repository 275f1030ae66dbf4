# expect: cuda-torch@2
FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04
RUN echo hi
