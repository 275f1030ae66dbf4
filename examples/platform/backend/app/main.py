"""Platform API: routes requests to the classifier, the RAG service and the audio service."""

import os

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from .db import session_scope

app = FastAPI(title="platform-backend")

CLASSIFIER_URL = os.environ.get("CLASSIFIER_URL", "http://classifier:8001")
RAG_URL = os.environ.get("RAG_URL", "http://rag:8002")
AUDIO_URL = os.environ.get("AUDIO_SERVICE_URL", "http://audio:8003")


class Message(BaseModel):
    user_id: str
    text: str
    reply_as_audio: bool = False


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/messages")
async def handle(message: Message) -> dict:
    async with httpx.AsyncClient(timeout=30) as client:
        intent = (await client.post(f"{CLASSIFIER_URL}/classify", json={"text": message.text})).json()
        answer = (await client.post(f"{RAG_URL}/ask", json={"question": message.text})).json()
        audio = None
        if message.reply_as_audio:
            audio = (await client.post(f"{AUDIO_URL}/speak", json={"text": answer["answer"]})).json()
    with session_scope() as session:
        session.execute("INSERT INTO messages (user_id, text, intent) VALUES (:u, :t, :i)",
                        {"u": message.user_id, "t": message.text, "i": intent["label"]})
    return {"intent": intent["label"], "answer": answer["answer"], "audio": audio}
