#!/bin/sh
python download_models.py
exec "$@"
