import librosa
from langchain_google_genai import ChatGoogleGenerativeAI
from pydub import AudioSegment

llm = ChatGoogleGenerativeAI(model="gemini-1.5-flash")


async def summarise_audio(upload) -> str:
    segment = AudioSegment.from_file(upload.file)
    samples, rate = librosa.load(segment.export(format="wav"), sr=16000)
    transcript = f"{len(samples) / rate:.0f}s of audio"  # transcription elided in the example
    return llm.invoke(f"Summarise in Portuguese: {transcript}").content
