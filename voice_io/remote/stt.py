"""Speech-to-text through an OpenAI-compatible `POST /v1/audio/transcriptions`.

The audio goes as a 16 kHz mono 16-bit WAV (multipart `file`), with `model`, `language`,
`prompt`, and `response_format=verbose_json` plus `timestamp_granularities[]=word` when word times
are wanted. Network I/O is async (no worker thread is held); a server that is down, slow or
answers garbage raises `STTError` fast.
"""

from __future__ import annotations

import io
import wave
from typing import Any

import httpx
import numpy as np

from voice_io.audio import float32_to_pcm16
from voice_io.errors import STTError
from voice_io.protocols import INPUT_RATE, Float32Array, Transcript, Word


def wav_bytes(samples: Float32Array, rate: int = INPUT_RATE) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(float32_to_pcm16(samples))
    return buffer.getvalue()


class OpenAIAPISTT:
    """Implements `voice_io.protocols.STT` against a remote transcription server."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "whisper-1",
        api_key: str | None = None,
        language: str | None = "en",
        timeout_s: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.language = language
        self.name = f"openai-api:{model}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout_s)

    async def transcribe(
        self, audio: Float32Array, *, prompt: str | None = None, word_timestamps: bool = False
    ) -> Transcript:
        samples = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        audio_s = samples.size / INPUT_RATE
        if samples.size == 0:
            return Transcript(text="", language=self.language)
        data: dict[str, Any] = {"model": self.model, "response_format": "verbose_json"}
        if self.language:
            data["language"] = self.language
        if prompt:
            data["prompt"] = prompt
        if word_timestamps:
            data["timestamp_granularities[]"] = "word"
        files = {"file": ("speech.wav", wav_bytes(samples), "audio/wav")}
        try:
            response = await self._client.post("/audio/transcriptions", data=data, files=files)
            response.raise_for_status()
            body = response.json()
            text = str(body["text"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise STTError(f"{self.name} at {self.base_url} failed: {exc.__class__.__name__}: {exc}") from exc
        words = tuple(
            Word(text=str(w["word"]), start=float(w["start"]), end=float(w["end"]),
                 probability=float(w.get("probability", 1.0)))
            for w in body.get("words") or ()
        )  # fmt: skip
        return Transcript(text=text.strip(), words=words, language=body.get("language"), audio_s=audio_s)

    async def aclose(self) -> None:
        await self._client.aclose()
