"""Build the configured speech recogniser."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from voice_io.protocols import STT

STTKind = Literal["faster-whisper", "openai-whisper"]


def load_stt(
    kind: STTKind = "faster-whisper",
    model: str = "tiny.en",
    language: str | None = "en",
    threads: int = 2,
    *,
    cache_dir: Path | None = None,
    window_s: int = 10,
) -> STT:
    """Load an STT engine (blocking; call once at startup). Raises `STTError` if it cannot load.

    `threads` and `window_s` (the encoder window's step, `voice_io.stt.window`; 0: the full 30 s)
    apply to faster-whisper; openai-whisper uses torch's process-wide thread setting.
    """
    if kind == "faster-whisper":
        from voice_io.stt.faster_whisper_stt import FasterWhisperSTT

        return FasterWhisperSTT.load(model, language, threads, cache_dir=cache_dir, window_s=window_s)
    if kind == "openai-whisper":
        from voice_io.stt.openai_whisper_stt import OpenAIWhisperSTT

        return OpenAIWhisperSTT.load(model, language)
    raise ValueError(f"unknown STT engine {kind!r} (expected 'faster-whisper' or 'openai-whisper')")
