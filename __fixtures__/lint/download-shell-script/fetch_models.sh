#!/bin/sh
set -e
git lfs install
git clone https://huggingface.co/openai/whisper-small /models/whisper-small
