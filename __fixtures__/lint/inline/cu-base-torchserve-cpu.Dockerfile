# expect: nothing
FROM pytorch/torchserve:0.11.0-cpu
RUN echo hi
