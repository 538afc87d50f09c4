"""Text-to-speech through an OpenAI-compatible `POST /v1/audio/speech`, streamed.

Asks for `response_format="pcm"`: raw s16le mono at the server's rate (24 kHz for OpenAI and
most compatible servers; `sample_rate` says which), and yields audio as it arrives, so the first
frame can play before the sentence is fully synthesised. Errors raise `TTSError`; a session with
a `FallbackTTS` then goes on with Piper.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from voice_io.errors import TTSError

CHUNK_BYTES = 4800  # 100 ms at 24 kHz


class OpenAIAPITTS:
    """Implements `voice_io.protocols.TTS` against a remote speech server."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "tts-1",
        voice: str = "alloy",
        api_key: str | None = None,
        sample_rate: int = 24_000,
        speed: float = 1.0,
        timeout_s: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.voice = voice
        self.speed = speed
        self.sample_rate = sample_rate
        self.name = f"openai-api:{model}:{voice}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout_s)

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        if not text.strip():
            return
        body = {"model": self.model, "input": text, "voice": self.voice,
                "response_format": "pcm", "speed": self.speed}  # fmt: skip
        carry = b""
        try:
            async with self._client.stream("POST", "/audio/speech", json=body) as response:
                if response.status_code != 200:
                    detail = (await response.aread())[:200].decode(errors="replace")
                    raise TTSError(f"{self.name} answered {response.status_code}: {detail}")
                async for chunk in response.aiter_bytes(CHUNK_BYTES):
                    data = carry + chunk
                    even = len(data) - len(data) % 2  # never split a 16-bit sample
                    carry = data[even:]
                    if even:
                        yield data[:even]
        except httpx.HTTPError as exc:
            raise TTSError(f"{self.name} at {self.base_url} failed: {exc.__class__.__name__}: {exc}") from exc

    async def aclose(self) -> None:
        await self._client.aclose()
