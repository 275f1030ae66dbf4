"""Fetch the embedding model into $HF_HOME (a volume) at start-up, never during the build."""

import os

from sentence_transformers import SentenceTransformer

SentenceTransformer(os.environ.get("EMBEDDING_MODEL", "sentence-transformers/all-MiniLM-L6-v2"))
