# expect: nothing
FROM ultralytics/ultralytics:8.2.0-cpu
RUN echo hi
