# expect: cuda-torch@2
FROM nvcr.io/nvidia/pytorch:24.03-py3
RUN echo hi
