import json
import os

import faiss
import numpy as np
from sentence_transformers import SentenceTransformer

INDEX_DIR = os.environ.get("INDEX_DIR", "/models/index")


class Index:
    def __init__(self, model_name: str) -> None:
        self.model = SentenceTransformer(model_name)
        self.faiss = faiss.read_index(os.path.join(INDEX_DIR, "passages.faiss"))
        with open(os.path.join(INDEX_DIR, "passages.json")) as f:
            self.passages = json.load(f)

    @property
    def size(self) -> int:
        return self.faiss.ntotal

    def search(self, query: str, k: int) -> list[dict]:
        vector = self.model.encode([query], normalize_embeddings=True).astype(np.float32)
        _, ids = self.faiss.search(vector, k)
        return [self.passages[i] for i in ids[0] if i >= 0]
