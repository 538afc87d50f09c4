"""Pronunciation hints from the recogniser: words Whisper was unsure of in otherwise clear speech.

faster-whisper gives each word a probability (`word_timestamps=True`). A word far below the rest
of a clearly recognised turn is likely to have been said unclearly; the page can replay just
that word (its `start`/`end` are seconds into the turn's audio). When the whole turn is
recognised with low confidence (noise, a far microphone), nothing is flagged: the words are not
unclear *in otherwise clear speech*, the recording is.

The thresholds are calibrated on the fluent human recordings in `shared/audio` so that fluent
speech gets at most one flag per 50 words (tests/voice_io/test_stt_confidence.py).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from voice_io.protocols import Word

UNCLEAR_PROBABILITY = 0.15
"""A word recognised with a probability below this may be unclear. Calibrated with tiny.en on
shared/audio (with and without the disfluency prompt): jfk.flac 0 flags in 22 words (lowest word
0.27), silero_test.wav 1 in 116 ("capital", 0.03; the next lowest 0.15)."""
CLEAR_MEDIAN = 0.70
"""The turn counts as clear speech when its median word probability is at least this."""
MIN_WORDS = 3
"""Too few words to tell what "otherwise clear" is."""
HESITATIONS = frozenset("um umm uh uhh uhm er erm ah ahh eh hmm mm".split())
"""Hesitations are fluency, not pronunciation: never flagged (Whisper is rightly unsure of them)."""
_LETTERS = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class UnclearWord:
    word: str
    """The word as recognised, lower case, without punctuation."""
    index: int
    """Position in the transcript's words."""
    start: float
    end: float
    probability: float

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "probability": round(self.probability, 3)}


def normalise(text: str) -> str:
    return "".join(_LETTERS.findall(text.lower().replace("\u2019", "'")))


def unclear_words(
    words: Sequence[Word],
    *,
    threshold: float = UNCLEAR_PROBABILITY,
    clear_median: float = CLEAR_MEDIAN,
) -> tuple[UnclearWord, ...]:
    """The words that may be unclear, in order (empty when the speech as a whole is unclear)."""
    spoken = [(i, w, normalise(w.text)) for i, w in enumerate(words)]
    spoken = [(i, w, text) for i, w, text in spoken if text]
    if len(spoken) < MIN_WORDS:
        return ()
    if statistics.median(w.probability for _, w, _ in spoken) < clear_median:
        return ()
    return tuple(
        UnclearWord(
            word=text, index=i, start=round(w.start, 3), end=round(w.end, 3), probability=w.probability
        )
        for i, w, text in spoken
        if w.probability < threshold and text not in HESITATIONS
    )
