"""Corrections said back to the learner. A recast repeats each sentence that had an error with every
error in it corrected (and I/you swapped: "I goed and buyed" -> "Ah, so you went and bought"), so the
learner never hears one of their errors confirmed; explicit mode names each fix and its rule."""

from __future__ import annotations

import re
from typing import Any

from graph.workflows.english import prompts
from tools.grammar import apply_corrections
from tools.text import sentence_spans

MAX_RECAST_WORDS = 24

_SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
    "i've": "you've", "i'll": "you'll", "i'd": "you'd", "we": "you", "us": "you", "our": "your",
    "we're": "you're", "ours": "yours", "we've": "you've", "we'll": "you'll", "your": "my", "yours": "mine",
    "you": "me",
}


def _swap_pronouns(sentence: str) -> str | None:
    words = sentence.rstrip(".!?").split()
    if re.search(r"\byou (are|were|have|do|did|can|will|was|'re)\b", sentence, re.I):
        return None  # "you" as a subject would come back as "me are": say the corrections instead
    out, previous = [], ""
    for word in words:
        key, tail = word.lower().rstrip(",;:"), word[len(word.rstrip(",;:")):]
        if key in ("am", "was") and previous in ("i", "we"):
            swapped = "are" if key == "am" else "were"
        elif key == "were" and previous == "we":
            swapped = "were"
        else:
            swapped = _SWAP.get(key, word.rstrip(",;:"))
        out.append(swapped + tail)
        previous = key
    first = words[0].rstrip(",;:").lower() if words else ""
    if out and (first in _SWAP or first in _COMMON) and out[0] != "I":
        out[0] = out[0][:1].lower() + out[0][1:]
    return " ".join(out)


_COMMON = frozenset(
    "last yesterday today tomorrow when on in at the a an it this that there he she they and but so "
    "because then next every some many most usually sometimes often if these those two three did can "
    "could do does is are was were".split()
)


def located(text: str, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors with their `start`/`end` in `text` (found by their original when missing)."""
    out, searched_from = [], 0
    for error in errors:
        start, original = error.get("start"), str(error.get("original", ""))
        if not (isinstance(start, int) and text[start: start + len(original)] == original):
            start = text.lower().find(original.lower(), searched_from) if original else -1
            if start < 0:
                continue
        out.append({**error, "start": start, "end": start + len(original)})
        searched_from = start + len(original)
    return out


def corrected_sentences(text: str, errors: list[dict[str, Any]]) -> list[str]:
    """The learner's sentences that had an error, each with all of its errors corrected."""
    errors = located(text, errors)
    out: list[str] = []
    for start, end in sentence_spans(text):
        inside = [
            {**e, "start": int(e["start"]) - start, "end": int(e["end"]) - start}
            for e in errors
            if isinstance(e.get("start"), int) and start <= e["start"] < end
        ]
        if inside:
            out.append(apply_corrections(text[start:end], inside).strip())
    return out


def recast(text: str, errors: list[dict[str, Any]]) -> str | None:
    """"Ah, so you went to the market and bought apples." or None (too long, or "you" as a subject)."""
    sentences = corrected_sentences(text, errors)
    if not sentences or sum(len(s.split()) for s in sentences) > MAX_RECAST_WORDS:
        return None
    swapped = [_swap_pronouns(s) for s in sentences]
    if any(s is None for s in swapped):
        return None
    return "Ah, so " + ", and ".join(s for s in swapped if s) + "."


def correction_prefix(text: str, errors: list[dict[str, Any]], style: str) -> str:
    """What the partner says about this turn's errors ("" when there were none)."""
    if not errors:
        return ""
    if style == "explicit":
        parts = [
            prompts.EXPLICIT_ONE.format(correction=e.get("correction", ""), original=e.get("original", ""),
                                        rule=f" ({e['rule']})" if e.get("rule") else "",
                                        explanation=e.get("explanation", ""))
            for e in errors[:3]
        ]
        return f"{prompts.EXPLICIT_LEAD} {' '.join(parts)}".strip()
    woven = recast(text, errors)
    if woven:
        return woven
    fixes = ", ".join(f"“{e.get('correction', '')}”" for e in errors[:4])
    return prompts.GENTLE_RECAST.format(correction=fixes)
