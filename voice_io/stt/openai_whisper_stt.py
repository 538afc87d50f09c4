"""Whisper on PyTorch (openai-whisper), from the optional `torch` extra.

Named models are downloaded by openai-whisper (needs network); a local checkpoint path loads
offline. The package is imported lazily so the default install never needs torch.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from voice_io.errors import STTError
from voice_io.protocols import INPUT_RATE, Float32Array, Transcript, Word
from voice_io.stt.base import WorkerThreadSTT

logger = logging.getLogger(__name__)

EXTRA_HINT = "install the torch extra: pip install 'voice-agent[torch]'"


def _import_whisper() -> Any:
    try:
        import whisper
    except ImportError as exc:
        raise STTError(f"openai-whisper is not installed ({exc}); {EXTRA_HINT}") from exc
    return whisper


class OpenAIWhisperSTT(WorkerThreadSTT):
    """Implements `voice_io.protocols.STT` with openai-whisper (CPU, fp32, greedy decoding)."""

    engine = "openai-whisper"

    def __init__(self, model: Any, *, name: str, language: str | None) -> None:
        super().__init__(model, name=name, language=language)
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        model: str = "base",
        language: str | None = "en",
        *,
        download_root: str | Path | None = None,
    ) -> OpenAIWhisperSTT:
        """Load a named model (downloaded) or a checkpoint file (blocking).

        Raises `STTError` when openai-whisper is missing or the model cannot be loaded.
        """
        whisper = _import_whisper()
        try:
            loaded = whisper.load_model(
                model, device="cpu", download_root=str(download_root) if download_root else None
            )
        except Exception as exc:
            raise STTError(
                f"cannot load openai-whisper model {model!r} (named models are downloaded, which "
                f"needs network access; a local checkpoint path works offline): {exc}"
            ) from exc
        logger.info("openai-whisper %s loaded", model)
        return cls(loaded, name=f"openai-whisper:{Path(model).name}", language=language)

    def _transcribe(self, samples: Float32Array, prompt: str | None, word_timestamps: bool) -> Transcript:
        whisper = _import_whisper()
        with self._lock:
            result = whisper.transcribe(
                self._model,
                samples,
                language=self.language,
                fp16=False,
                temperature=0.0,
                condition_on_previous_text=False,
                initial_prompt=prompt,
                word_timestamps=word_timestamps,
                verbose=None,
            )
        words = tuple(
            Word(
                text=str(w["word"]).strip(),
                start=float(w["start"]),
                end=float(w["end"]),
                probability=float(w.get("probability", 1.0)),
            )
            for segment in result.get("segments", ())
            for w in segment.get("words", ())
        )
        return Transcript(
            text=str(result.get("text", "")).strip(),
            words=words,
            language=result.get("language") or self.language,
            audio_s=samples.size / INPUT_RATE,
        )
