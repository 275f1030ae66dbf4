"""Intent classifier: a TF-IDF + logistic regression pipeline loaded from the model cache."""

import os

import joblib
from fastapi import FastAPI
from huggingface_hub import hf_hub_download
from pydantic import BaseModel

app = FastAPI(title="classifier")
MODEL_REPO = os.environ.get("MODEL_REPO", "platform/intent-classifier")
pipeline = joblib.load(hf_hub_download(MODEL_REPO, "pipeline.joblib"))


class Text(BaseModel):
    text: str


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/classify")
def classify(body: Text) -> dict:
    label = pipeline.predict([body.text])[0]
    score = float(pipeline.predict_proba([body.text]).max())
    return {"label": label, "score": score}
