"""RAG service: embeds the question, searches the FAISS index, asks the LLM with the context."""

import os

from fastapi import FastAPI
from langchain_google_genai import ChatGoogleGenerativeAI
from pydantic import BaseModel

from .index import Index

app = FastAPI(title="rag")
index = Index(os.environ.get("EMBEDDING_MODEL", "sentence-transformers/all-MiniLM-L6-v2"))
llm = ChatGoogleGenerativeAI(model="gemini-1.5-flash")


class Question(BaseModel):
    question: str
    k: int = 4


@app.get("/health")
def health() -> dict:
    return {"status": "ok", "documents": index.size}


@app.post("/ask")
def ask(body: Question) -> dict:
    passages = index.search(body.question, body.k)
    context = "\n\n".join(p["text"] for p in passages)
    answer = llm.invoke(f"Answer from this context only:\n{context}\n\nQuestion: {body.question}")
    return {"answer": answer.content, "sources": [p["id"] for p in passages]}
