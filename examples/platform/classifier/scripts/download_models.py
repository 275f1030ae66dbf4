"""Fetch the classifier's model into $HF_HOME at start-up (never during the image build)."""

import os

from huggingface_hub import snapshot_download

snapshot_download(os.environ.get("MODEL_REPO", "platform/intent-classifier"))
