import os
from huggingface_hub import snapshot_download

# weights for the embedder
snapshot_download("BAAI/bge-m3", local_dir=os.environ.get("MODELS", "/models"))
