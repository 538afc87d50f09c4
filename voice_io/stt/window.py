"""Whisper's encoder window fitted to the utterance, for short turns.

Whisper encodes a 30 s window whatever the audio: faster-whisper pads the log-mel features with
zeros to 3,000 frames, and for a 3 s turn most of tiny.en's encoder time goes on that padding.
`FittedWhisperModel` trims the padding before the encoder to the speech plus 1 s, rounded up to
whole 10 s windows (at most 30 s). On 36 clips of real and Piper speech (`python -m bench.stt_window`,
idle 2-core EPYC, word timestamps on): pooled WER 6.2 % against 5.9 % with the full window, decode
p50 257 ms against 707 ms (0.36x), p90 509 against 1003 ms. Narrower windows (5 s steps, or the
speech plus 1-5 s unrounded) made the decoder loop ("good luck with that. Good luck with that...").

Whisper was trained on 30 s windows, so a short one can still, rarely, make it repeat itself
("Global, well? Global, well? …", about once in 12 live decodes). A fitted decode may write at most
`token_cap(audio_s)` tokens, so a loop stops early instead of running to Whisper's 448, and
`looks_looped` (the cap reached, a repeated four-word phrase, or more words than anyone says in the
time) has the engine decode once more with the full window and no cap (`window_retries`).
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
from faster_whisper import WhisperModel

MIN_FITTED_S = 2.0
"""Shorter audio keeps the full window: on a fragment of a second ("ask", "not") a 10 s window
gave "" or "s" where the full one gave a word, and a mangled fragment breaks the turn-taking that
joins it to what follows (a cut-off "ask not …" waits for the rest). The corpus above is all >= 2 s."""
FULL_FRAMES = 3000
"""faster-whisper's padded window: 30 s of 10 ms log-mel frames."""
PAD_FRAMES = 100
"""Kept after the speech (1 s): Whisper needs silence after the last word to end the text."""

_WORD = re.compile(r"[a-z0-9']+")
MAX_WORDS_PER_S = 6.0
"""Faster than fast speech (about 4-5 words/s): the decoder is repeating itself."""


class FittedWhisperModel(WhisperModel):
    """A `WhisperModel` whose encoder sees `window_frames`-sized windows (0: always the full 30 s).

    The window is per thread (`full_window()` turns it off for one decode), so one model can be
    shared by every session's worker.
    """

    def __init__(self, *args: Any, window_frames: int = 1000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if window_frames < 0 or window_frames > FULL_FRAMES:
            raise ValueError(f"window_frames must be in [0, {FULL_FRAMES}], got {window_frames}")
        self.window_frames = window_frames
        self._local = threading.local()

    @property
    def fitting(self) -> bool:
        """True while decodes in this thread use fitted windows."""
        return bool(self.window_frames) and not getattr(self._local, "full", False)

    @contextlib.contextmanager
    def full_window(self) -> Iterator[None]:
        """Decodes in this thread, inside, use the full 30 s window (consume the segments inside)."""
        self._local.full = True
        try:
            yield
        finally:
            self._local.full = False

    def encode(self, features: np.ndarray) -> Any:
        if self.fitting and features.shape[-1] == FULL_FRAMES:
            features = features[..., : fitted_frames(features, self.window_frames)]
        return super().encode(features)


def fitted_frames(features: np.ndarray, window: int) -> int:
    """The speech's frames (the padding is exact zeros) plus `PAD_FRAMES`, up to whole windows."""
    voiced = np.flatnonzero(np.any(features.reshape(-1, features.shape[-1]) != 0, axis=0))
    content = int(voiced[-1]) + 1 if voiced.size else 1
    return min(FULL_FRAMES, -(-(content + PAD_FRAMES) // window) * window)


def token_cap(audio_s: float) -> int:
    """The most tokens a fitted decode may write: 8 a second (speech needs about 6: 4-5 words of
    1.3 tokens, and timestamps), plus 16; at most 200, which leaves room for the longest prompt
    faster-whisper keeps (223 tokens) within Whisper's 448."""
    return min(200, 16 + 8 * math.ceil(audio_s))


def looks_looped(text: str, audio_s: float, *, tokens: int = 0) -> bool:
    """The decode reached `token_cap`, said a four-word phrase twice, or wrote more words than fit
    in the audio: decode again in full.

    A person can repeat themselves ("I don't know, I don't know"): then the full window is decoded
    for nothing, which costs time but never a word.
    """
    if audio_s > 0 and tokens >= token_cap(audio_s) - 2:
        return True
    words = _WORD.findall(text.lower())
    if audio_s > 0 and len(words) > MAX_WORDS_PER_S * audio_s + 2:
        return True
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    return len(grams) != len(set(grams))
