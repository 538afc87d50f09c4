"""Delivery metrics of one spoken answer: pace, pauses, fillers, time to first word, lexical diversity.

`fluency_metrics(...)` works from the transcript alone (timing fields are then None) and gets better
with Whisper word timestamps and the VAD's pauses. Whisper drops "um"/"uh" unless prompted to keep
them: transcribe with `prompt=WHISPER_DISFLUENCY_PROMPT`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from voice_io.protocols import Word
from voice_io.stt.confidence import unclear_words

WHISPER_DISFLUENCY_PROMPT = (
    "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, um."
)
"""Initial prompt that makes Whisper transcribe hesitations ("um", "uh", "like") instead of dropping them."""

GAP_S = 0.3
"""A silence between two words longer than this counts as a pause."""
LONG_PAUSE_S = 1.0
MATTR_WINDOW = 25

FILLERS = (
    "um",
    "uh",
    "er",
    "ah",
    "like",
    "you know",
    "i mean",
    "sort of",
    "kind of",
    "basically",
    "actually",
    "so",
)

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?|[.!?]+|,|\.\.\.|—|-")
_HESITATION = {
    "um": "um",
    "umm": "um",
    "uhm": "um",
    "hmm": "um",
    "mm": "um",
    "uh": "uh",
    "uhh": "uh",
    "er": "er",
    "erm": "er",
    "err": "er",
    "ah": "ah",
    "ahh": "ah",
    "eh": "er",
}
_NOT_FILLER_LIKE_BEFORE = frozenset(
    "i you we they would 'd do don't does doesn't did didn't looks look looked feel feels felt seem seems "
    "seemed just much something anything nothing things stuff sounds sound not really also".split()
)
_LIKE_FILLER_NEXT = frozenset("really so very totally super literally the um uh".split())
_KIND_NOUN_BEFORE = frozenset("what this that the a some any which every one other same".split())
_YOU_KNOW_QUESTION_BEFORE = frozenset("do did don't if as would will can could whether".split())
_YOU_KNOW_OBJECT_AFTER = frozenset(
    "how what where why who when which that him her them it the about a an this those these".split()
)
_PUNCT = frozenset({".", "!", "?", ",", "...", "—", "-", "!!", "??", "?!"})


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower().replace("\u2019", "'").replace("…", "..."))


def _words_only(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in _PUNCT and not set(t) <= set(".!?")]


def count_fillers(text: str) -> dict[str, int]:
    """Fillers in a transcript, by kind. "like", "so", "you know", "kind of" count only when used as
    fillers ("it was, like, ten people" yes; "I like it", "what kind of" no)."""
    tokens = _tokens(text)
    found: Counter[str] = Counter()
    n = len(tokens)

    def at(i: int) -> str:
        return tokens[i] if 0 <= i < n else "."

    sentence_start = True
    for i, tok in enumerate(tokens):
        prev, nxt = at(i - 1), at(i + 1)
        if tok in _HESITATION:
            found[_HESITATION[tok]] += 1
        elif tok in ("basically", "actually"):
            found[tok] += 1
        elif tok == "like":
            commas = prev in _PUNCT or nxt in (",", "...")
            quantity = nxt[:1].isdigit() or nxt in ("ten", "twenty", "five", "a hundred", "two", "three")
            if (
                (commas and prev not in _NOT_FILLER_LIKE_BEFORE)
                or sentence_start
                or (nxt in _LIKE_FILLER_NEXT and prev not in _NOT_FILLER_LIKE_BEFORE)
                or (quantity and prev not in _NOT_FILLER_LIKE_BEFORE)
            ):
                found["like"] += 1
        elif tok == "so" and sentence_start:
            found["so"] += 1
        elif tok == "know" and prev == "you":
            before = at(i - 2)
            if (
                before in (",", ".", "...")
                or nxt in _PUNCT
                or (before not in _YOU_KNOW_QUESTION_BEFORE and nxt not in _YOU_KNOW_OBJECT_AFTER)
            ):
                found["you know"] += 1
        elif tok == "mean" and prev == "i" and at(i - 2) not in ("what", "if", "do", "did", "don't"):
            found["i mean"] += 1
        elif tok == "of" and prev in ("sort", "kind") and at(i - 2) not in _KIND_NOUN_BEFORE:
            found[f"{prev} of"] += 1
        if tok in (".", "!", "?", "...", "?!") or set(tok) <= set(".!?"):
            sentence_start = True
        elif tok not in (",",) and tok not in _HESITATION:
            sentence_start = False
    return dict(found)


def lexical_diversity(tokens: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio (window 25); plain TTR for shorter texts; 0.0 for none."""
    words = [t for t in tokens if t not in _HESITATION]
    if not words:
        return 0.0
    if len(words) <= window:
        return round(len(set(words)) / len(words), 3)
    counts = Counter(words[:window])
    total = len(counts)
    for i in range(window, len(words)):
        out, new = words[i - window], words[i]
        counts[out] -= 1
        if counts[out] == 0:
            del counts[out]
        counts[new] += 1
        total += len(counts)
    return round(total / ((len(words) - window + 1) * window), 3)


def _word_gaps(words: Sequence[Word]) -> list[float]:
    ordered = sorted(words, key=lambda w: w.start)
    return [max(0.0, b.start - a.end) for a, b in pairwise(ordered)]


def fluency_metrics(
    *,
    text: str,
    words: Sequence[Word] = (),
    audio_s: float = 0.0,
    pauses_s: Sequence[float] = (),
    response_delay_s: float | None = None,
) -> dict[str, Any]:
    """Fluency of one answer.

    Returns `{"wpm", "pause_ratio", "long_pauses", "fillers", "filler_count", "fillers_per_100_words",
    "time_to_first_word_s", "lexical_diversity", "word_count", "unclear_words"}`; `unclear_words`
    are `voice_io.stt.confidence.unclear_words` as dicts (word, index, start, end, probability).
    Timing fields are None without timings. Silences seen by the VAD (`pauses_s`) and gaps > 0.3 s
    between word timestamps describe the same pauses, so the larger of the two totals (and counts)
    is used, never their sum.
    """
    tokens = _words_only(_tokens(text))
    if not tokens and words:
        tokens = _words_only(_tokens(" ".join(w.text for w in words)))
    word_count = len(tokens)
    fillers = count_fillers(text or " ".join(w.text for w in words))
    filler_count = sum(fillers.values())

    duration = (
        audio_s
        if audio_s > 0
        else (max(w.end for w in words) - min(w.start for w in words) if words else 0.0)
    )
    gaps = [g for g in _word_gaps(words) if g > GAP_S]
    vad_pauses = [p for p in pauses_s if p > 0]
    timed = duration > 0 or bool(vad_pauses) or bool(words)

    silence = max(sum(gaps), sum(vad_pauses))
    long_pauses = max(
        sum(1 for g in gaps if g > LONG_PAUSE_S), sum(1 for p in vad_pauses if p > LONG_PAUSE_S)
    )
    first_word = min((w.start for w in words), default=0.0)
    return {
        "wpm": round(word_count / (duration / 60), 1) if duration > 0 and word_count else None,
        "pause_ratio": round(min(1.0, silence / duration), 3) if duration > 0 else None,
        "long_pauses": long_pauses if timed else None,
        "fillers": fillers,
        "filler_count": filler_count,
        "fillers_per_100_words": round(100 * filler_count / word_count, 1) if word_count else 0.0,
        "time_to_first_word_s": round(response_delay_s + first_word, 3)
        if response_delay_s is not None
        else None,
        "lexical_diversity": lexical_diversity(tokens),
        "word_count": word_count,
        "unclear_words": [u.as_dict() for u in unclear_words(words)],
    }
