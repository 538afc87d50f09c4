"""Microsoft Edge's online voices (edge-tts): MP3 streamed over a WebSocket, decoded to PCM.

Needs network access; every failure (DNS, connect, protocol, no audio) becomes a `TTSError`
quickly, so `FallbackTTS` can switch to the offline voice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import edge_tts
import edge_tts.exceptions

from voice_io.errors import TTSError
from voice_io.tts.mp3 import Mp3Decoder

logger = logging.getLogger(__name__)

DEFAULT_VOICE = "en-US-AriaNeural"
EDGE_SAMPLE_RATE = 24_000
"""edge-tts sends 24 kHz mono MP3."""

_FAILURES = (
    aiohttp.ClientError,
    edge_tts.exceptions.EdgeTTSException,
    asyncio.TimeoutError,
    OSError,
    ValueError,
)


def speed_to_rate(speed: float) -> str:
    """1.0 → "+0%", 1.25 → "+25%", 0.8 → "-20%" (edge-tts' rate syntax)."""
    if speed <= 0:
        raise ValueError(f"speed must be positive, got {speed}")
    return f"{round((speed - 1.0) * 100):+d}%"


class EdgeTTS:
    """Implements `voice_io.protocols.TTS`: PCM s16le mono at 24,000 Hz."""

    sample_rate = EDGE_SAMPLE_RATE

    def __init__(
        self,
        voice: str = DEFAULT_VOICE,
        rate: str = "+0%",
        *,
        connect_timeout: int = 5,
        receive_timeout: int = 20,
        proxy: str | None = None,
    ) -> None:
        self.voice = voice
        self.rate = rate
        self.name = f"edge:{voice}"
        self._connect_timeout = connect_timeout
        self._receive_timeout = receive_timeout
        self._proxy = proxy

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        if not text.strip():
            return
        decoder = Mp3Decoder(self.sample_rate)
        try:
            communicate = edge_tts.Communicate(
                text,
                self.voice,
                rate=self.rate,
                connect_timeout=self._connect_timeout,
                receive_timeout=self._receive_timeout,
                proxy=self._proxy,
            )
            messages = aiter(communicate.stream())
        except _FAILURES as exc:
            raise TTSError(f"edge-tts cannot speak with {self.voice!r}: {exc}") from exc
        while True:
            try:
                message = await anext(messages)
            except StopAsyncIteration:
                break
            except _FAILURES as exc:
                raise TTSError(f"edge-tts failed ({type(exc).__name__}: {exc})") from exc
            if message["type"] != "audio":
                continue
            pcm = decoder.decode(message["data"])
            if pcm:
                yield pcm
        tail = decoder.flush()
        if tail:
            yield tail
