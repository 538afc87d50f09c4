"""What every batch Whisper engine shares: validate the input, decode in the STT worker thread,
and turn any engine exception into an `STTError` naming the engine."""

from __future__ import annotations

from typing import Any

import numpy as np

from voice_io.errors import STTError
from voice_io.protocols import Float32Array, Transcript
from voice_io.workers import run_in


class WorkerThreadSTT:
    """Base for `voice_io.protocols.STT` engines whose decode is one blocking call."""

    engine = "whisper"

    def __init__(self, model: Any, *, name: str, language: str | None) -> None:
        self._model = model
        self.name = name
        self.language = language

    async def transcribe(
        self,
        audio: Float32Array,
        *,
        prompt: str | None = None,
        word_timestamps: bool = False,
    ) -> Transcript:
        samples = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        if samples.size == 0:
            return Transcript(text="", language=self.language)
        try:
            return await run_in("stt", self._transcribe, samples, prompt, word_timestamps)
        except STTError:
            raise
        except Exception as exc:
            raise STTError(f"{self.engine} failed: {exc}") from exc

    def _transcribe(self, samples: Float32Array, prompt: str | None, word_timestamps: bool) -> Transcript:
        """Decode entirely in the calling (worker) thread."""
        raise NotImplementedError
