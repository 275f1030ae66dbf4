"""Audio service: speaks answers (XTTS) and summarises voice messages."""

import os
import tempfile

from fastapi import FastAPI, UploadFile
from pydantic import BaseModel
from TTS.api import TTS

app = FastAPI(title="audio")
tts = TTS(os.environ.get("TTS_MODEL", "coqui/XTTS-v2"))


class Speech(BaseModel):
    text: str
    language: str = "pt"
    speaker_wav: str = "/app/voices/default.wav"


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/speak")
def speak(body: Speech) -> dict:
    out = tempfile.NamedTemporaryFile(suffix=".wav", delete=False).name
    tts.tts_to_file(text=body.text, language=body.language, speaker_wav=body.speaker_wav, file_path=out)
    return {"path": out}


@app.post("/summarise")
async def summarise(audio: UploadFile) -> dict:
    from .summary import summarise_audio

    return {"summary": await summarise_audio(audio)}
