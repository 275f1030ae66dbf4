# expect: nothing
FROM tensorflow/tensorflow:2.16.1
RUN echo hi
