# expect: nothing
FROM python:3.12-slim
RUN python -c "from db import new_session; new_session()"
