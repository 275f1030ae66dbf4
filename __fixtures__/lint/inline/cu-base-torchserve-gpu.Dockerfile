# expect: cuda-torch@2
FROM pytorch/torchserve:0.11.0-gpu
RUN echo hi
