from huggingface_hub import snapshot_download
snapshot_download("BAAI/bge-m3")
