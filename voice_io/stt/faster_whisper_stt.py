"""Whisper on CTranslate2 (faster-whisper): the default, torch-free speech recogniser."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from voice_io.errors import STTError
from voice_io.protocols import INPUT_RATE, Float32Array, Transcript, Word
from voice_io.stt.base import WorkerThreadSTT
from voice_io.stt.models import resolve_faster_whisper_model

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

logger = logging.getLogger(__name__)


class FasterWhisperSTT(WorkerThreadSTT):
    """Implements `voice_io.protocols.STT`. Load once (`load`), share between sessions."""

    engine = "faster-whisper"
    _model: WhisperModel

    @classmethod
    def load(
        cls,
        model: str = "tiny.en",
        language: str | None = "en",
        threads: int = 2,
        *,
        cache_dir: Path | None = None,
    ) -> FasterWhisperSTT:
        """Load a model (blocking). `tiny.en` and `base` are embedded; anything else is a
        faster-whisper model name (downloaded) or a local CTranslate2 model directory.

        Raises `STTError` when the model cannot be found, built or downloaded.
        """
        from faster_whisper import WhisperModel

        try:
            path = resolve_faster_whisper_model(model, cache_dir)
            whisper = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)
        except Exception as exc:
            raise STTError(
                f"cannot load faster-whisper model {model!r} (embedded models: 'tiny.en', 'base'; "
                f"other names are downloaded, which needs network access): {exc}"
            ) from exc
        logger.info("faster-whisper %s loaded from %s (%d threads)", model, path, threads)
        return cls(whisper, name=f"faster-whisper:{model}", language=language)

    def _transcribe(self, samples: Float32Array, prompt: str | None, word_timestamps: bool) -> Transcript:
        segments, info = self._model.transcribe(
            samples,
            language=self.language,
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            word_timestamps=word_timestamps,
            without_timestamps=not word_timestamps,
            vad_filter=False,
        )
        # The generator decodes lazily: consume it here, in the worker thread.
        segments = list(segments)
        words = tuple(
            Word(
                text=w.word.strip(), start=float(w.start), end=float(w.end), probability=float(w.probability)
            )
            for segment in segments
            for w in segment.words or ()
        )
        text = " ".join(segment.text.strip() for segment in segments).strip()
        return Transcript(text=text, words=words, language=info.language, audio_s=samples.size / INPUT_RATE)
