# expect: cuda-torch@2
FROM ultralytics/ultralytics:8.2.0
RUN echo hi
