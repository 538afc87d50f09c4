"""Whisper on CTranslate2 (faster-whisper): the default, torch-free speech recogniser."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from voice_io.errors import STTError
from voice_io.protocols import INPUT_RATE, Float32Array, Transcript, Word
from voice_io.stt.base import WorkerThreadSTT
from voice_io.stt.models import resolve_faster_whisper_model

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from faster_whisper.transcribe import Segment, TranscriptionInfo

logger = logging.getLogger(__name__)


class FasterWhisperSTT(WorkerThreadSTT):
    """Implements `voice_io.protocols.STT`. Load once (`load`), share between sessions."""

    engine = "faster-whisper"
    _model: WhisperModel
    window_retries = 0
    """Decodes done again with the full 30 s window because the fitted one looked looped."""

    @classmethod
    def load(
        cls,
        model: str = "tiny.en",
        language: str | None = "en",
        threads: int = 2,
        *,
        cache_dir: Path | None = None,
        window_s: int = 10,
    ) -> FasterWhisperSTT:
        """Load a model (blocking). `tiny.en` and `base` are embedded; anything else is a
        faster-whisper model name (downloaded) or a local CTranslate2 model directory.

        `window_s`: the encoder window is fitted to the speech in steps of this many seconds
        (`voice_io.stt.window`); 0 or 30 keeps Whisper's full 30 s window for every decode.

        Raises `STTError` when the model cannot be found, built or downloaded.
        """
        from voice_io.stt.window import FULL_FRAMES, FittedWhisperModel

        if not 0 <= window_s <= FULL_FRAMES // 100:
            raise ValueError(f"window_s must be in [0, 30], got {window_s}")
        try:
            path = resolve_faster_whisper_model(model, cache_dir)
            whisper = FittedWhisperModel(
                path, device="cpu", compute_type="int8", cpu_threads=threads, window_frames=window_s * 100
            )
        except Exception as exc:
            raise STTError(
                f"cannot load faster-whisper model {model!r} (embedded models: 'tiny.en', 'base'; "
                f"other names are downloaded, which needs network access): {exc}"
            ) from exc
        logger.info(
            "faster-whisper %s loaded from %s (%d threads, %d s windows)", model, path, threads, window_s
        )
        return cls(whisper, name=f"faster-whisper:{model}", language=language)

    def _transcribe(self, samples: Float32Array, prompt: str | None, word_timestamps: bool) -> Transcript:
        from voice_io.stt.window import MIN_FITTED_S, FittedWhisperModel, looks_looped, token_cap

        audio_s = samples.size / INPUT_RATE
        model = self._model
        # (a plain WhisperModel, or a stand-in, decodes as faster-whisper does: always 30 s)
        fits = isinstance(model, FittedWhisperModel) and model.fitting

        def full() -> tuple[list[Segment], TranscriptionInfo]:
            with model.full_window() if fits else contextlib.nullcontext():
                return self._decode(samples, prompt, word_timestamps, None)

        if fits and MIN_FITTED_S <= audio_s <= 30.0:  # else a fragment, or several windows
            segments, info = self._decode(samples, prompt, word_timestamps, token_cap(audio_s))
            tokens = sum(len(segment.tokens) for segment in segments)
            if looks_looped(_text(segments), audio_s, tokens=tokens):
                logger.info("Whisper looped on a fitted window (%r); decoding the full 30 s window",
                            _text(segments)[:80])  # fmt: skip
                FasterWhisperSTT.window_retries += 1
                segments, info = full()
        else:
            segments, info = full()
        words = tuple(
            Word(
                text=w.word.strip(), start=float(w.start), end=float(w.end), probability=float(w.probability)
            )
            for segment in segments
            for w in segment.words or ()
        )
        return Transcript(text=_text(segments), words=words, language=info.language, audio_s=audio_s)

    def _decode(
        self, samples: Float32Array, prompt: str | None, word_timestamps: bool, max_tokens: int | None
    ) -> tuple[list[Segment], TranscriptionInfo]:
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
            max_new_tokens=max_tokens,
        )
        # The generator decodes lazily: consume it here, in the worker thread.
        return list(segments), info


def _text(segments: list[Segment]) -> str:
    return " ".join(segment.text.strip() for segment in segments).strip()
