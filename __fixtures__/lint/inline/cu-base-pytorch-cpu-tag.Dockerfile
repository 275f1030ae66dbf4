# expect: nothing
FROM pytorch/pytorch:2.3.1-cpu
RUN echo hi
