"""Read-aloud scoring: what the learner said, aligned word by word to the sentence they read.

The alignment is rapidfuzz's Indel (longest common subsequence) opcodes over word lists, so the
most target words are matched; between two matches, left-out and put-in words pair up as
substitutions. Each target word gets a
status: `ok` (said), `unclear` (said, but recognised with low confidence; see
`voice_io.stt.confidence`), `substituted` (another word in its place) or `missed`; heard words
with no target word are insertions. `accuracy` is the share of target words said (ok or
unclear).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from voice_io.protocols import Word
from voice_io.stt.confidence import normalise, unclear_words

SAME_WORD_RATIO = 90.0
"""Spelling variants ("colour"/"color") count as the same word: rapidfuzz ratio at least this."""
RETRY_BELOW = 1.0
"""A reading below this accuracy (or with unclear words) is offered one retry."""


def target_words(text: str) -> list[str]:
    return [w for w in (normalise(t) for t in text.split()) if w]


def heard_words(words: Sequence[Word]) -> list[tuple[str, int, Word]]:
    """(normalised text, index in `words`, word) of each word that has letters."""
    return [(text, i, w) for i, w in enumerate(words) if (text := normalise(w.text))]


def words_from_text(text: str) -> tuple[Word, ...]:
    """Untimed words for a transcript without word timestamps (typed, or text-only STT)."""
    return tuple(Word(text=t, start=0.0, end=0.0) for t in text.split())


def _entry(target: str, status: str, heard: tuple[str, int, Word] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"word": target, "status": status, "heard": None, "start": None, "end": None}
    if heard is not None:
        text, _, w = heard
        entry.update(
            heard=text, start=round(w.start, 3), end=round(w.end, 3), probability=round(w.probability, 3)
        )
    return entry


def score_reading(target: str, words: Sequence[Word], *, audio_s: float | None = None) -> dict[str, Any]:
    """Align `words` (the STT result) to `target`.

    Returns `{target, heard, accuracy, words: [{word, status, heard, start, end, probability}],
    omissions, substitutions: [{word, heard}], insertions, unclear, wpm}`.
    """
    goal = target_words(target)
    heard = heard_words(words)
    unclear_at = {u.index for u in unclear_words(words)}

    def said(g: str, h: tuple[str, int, Word]) -> dict[str, Any]:
        return _entry(g, "unclear" if h[1] in unclear_at else "ok", h)

    entries: list[dict[str, Any]] = []
    insertions: list[str] = []
    gap: tuple[list[str], list[tuple[str, int, Word]]] = ([], [])

    def close_gap() -> None:
        """Target words left out and heard words put in between two matches: pairs are substitutions."""
        src, dst = gap
        for k, g in enumerate(src):
            h = dst[k] if k < len(dst) else None
            if h is None:
                entries.append(_entry(g, "missed", None))
            elif fuzz.ratio(g, h[0]) >= SAME_WORD_RATIO:
                entries.append(said(g, h))
            else:
                entries.append(_entry(g, "substituted", h))
        insertions.extend(text for text, _, _ in dst[len(src) :])
        src.clear()
        dst.clear()

    for op in Indel.opcodes(goal, [text for text, _, _ in heard]):
        src, dst = goal[op.src_start : op.src_end], heard[op.dest_start : op.dest_end]
        if op.tag == "equal":
            close_gap()
            entries += [said(g, h) for g, h in zip(src, dst, strict=True)]
        else:
            gap[0].extend(src)
            gap[1].extend(dst)
    close_gap()
    read = sum(e["status"] in ("ok", "unclear") for e in entries)
    return {
        "target": target,
        "heard": " ".join(text for text, _, _ in heard),
        "accuracy": round(read / len(goal), 3) if goal else 0.0,
        "words": entries,
        "omissions": [e["word"] for e in entries if e["status"] == "missed"],
        "substitutions": [
            {"word": e["word"], "heard": e["heard"]} for e in entries if e["status"] == "substituted"
        ],
        "insertions": insertions,
        "unclear": [e for e in entries if e["status"] == "unclear"],
        "wpm": _wpm(heard, audio_s),
    }


def _wpm(heard: list[tuple[str, int, Word]], audio_s: float | None) -> float | None:
    timed = [w for _, _, w in heard if w.end > w.start]
    span = (timed[-1].end - timed[0].start) if timed else (audio_s or 0.0)
    return round(60 * len(heard) / span, 1) if heard and span > 0 else None


def needs_retry(result: dict[str, Any]) -> bool:
    return bool(result["accuracy"] < RETRY_BELOW or result["unclear"])


def feedback(result: dict[str, Any], *, retry: bool) -> str:
    """What the partner says: what was read well, what to repeat, and (once) an offer to retry."""
    repeat = [s["word"] for s in result["substitutions"]] + result["omissions"]
    repeat += [u["word"] for u in result["unclear"] if u["word"] not in repeat]
    if not repeat and not result["insertions"]:
        return f"Well read — you said every word ({round(100 * result['accuracy'])}%)."
    parts = [f"You read {round(100 * result['accuracy'])}% of the words."]
    for s in result["substitutions"][:3]:
        parts.append(f"You said “{s['heard']}” for “{s['word']}”.")
    if result["omissions"]:
        parts.append(f"You left out: {', '.join(result['omissions'][:4])}.")
    unclear = [u["word"] for u in result["unclear"]]
    if unclear:
        parts.append(f"These may have been unclear: {', '.join(unclear[:4])}.")
    if repeat:
        parts.append(f"Repeat after me: {', '.join(dict.fromkeys(repeat))}.")
    if retry:
        parts.append("Let's try once more. Please read it again:")
    return " ".join(parts)
