"""Download the TTS model. BLOAT: the Dockerfile runs this during the build."""

import os

from TTS.api import TTS

TTS(os.environ.get("TTS_MODEL", "coqui/XTTS-v2"))
