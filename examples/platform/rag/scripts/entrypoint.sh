#!/bin/sh
# Models are fetched when the container starts (and cached in the /models volume), not baked in.
set -e
python scripts/download_models.py
exec "$@"
