# expect: cuda-torch@2
FROM tensorflow/tensorflow:2.16.1-gpu
RUN echo hi
