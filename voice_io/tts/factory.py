"""Build the configured voice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from voice_io.errors import TTSError
from voice_io.protocols import TTS
from voice_io.tts.fallback import FallbackTTS

TTSKind = Literal["piper", "edge"]


def load_tts(
    kind: TTSKind = "piper",
    voice: str | None = None,
    speed: float = 1.0,
    *,
    on_fallback: Callable[[TTSError], None] | None = None,
) -> TTS:
    """Load a TTS engine (blocking; once at startup).

    `piper`: the embedded offline voice (`voice` is ignored). `edge`: edge-tts with `voice`
    (default en-US-AriaNeural), falling back to Piper for good on its first failure.
    """
    from voice_io.tts.piper_tts import PiperTTS

    if kind == "piper":
        return PiperTTS.load(speed)
    if kind == "edge":
        from voice_io.tts.edge import DEFAULT_VOICE, EdgeTTS, speed_to_rate

        primary = EdgeTTS(voice or DEFAULT_VOICE, speed_to_rate(speed))
        return FallbackTTS(primary, PiperTTS.load(speed), on_fallback)
    raise ValueError(f"unknown TTS engine {kind!r} (expected 'piper' or 'edge')")
