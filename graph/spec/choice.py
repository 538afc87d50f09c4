"""Choosing from a list by meaning: "it's quite urgent actually" -> high, "no rush" -> low.

Each choice is a value plus phrases that mean it (`says:` in the spec). `match_choice` first looks
for a phrase said outright (the longest wins, so "not urgent" beats "urgent"); failing that, it asks
the sentence encoder of `tools.semantic` when that is installed, and otherwise compares words
(stems, near spellings) as a fallback. Scale answers ("seven out of ten") are numbers in a range.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.spec.amounts import amounts

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    "a an the i i'm im it it's its is are was be to of for and or but so um uh er like just really "
    "actually quite please my me we our you your that this with on in at".split()
)
SEMANTIC_MIN = 0.55
"""Least cosine similarity for a choice matched by meaning."""


@dataclass(frozen=True)
class Choice:
    value: str
    says: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.value, *self.says)


URGENCY = (
    Choice(
        "low",
        (
            "not urgent",
            "not very urgent",
            "not that urgent",
            "not really urgent",
            "no rush",
            "no hurry",
            "whenever",
            "not important",
            "low priority",
            "can wait",
            "not a priority",
        ),
    ),
    Choice(
        "medium",
        (
            "moderate",
            "normal",
            "fairly",
            "somewhat",
            "soonish",
            "this week",
            "medium priority",
            "reasonably urgent",
            "kind of urgent",
            "a bit urgent",
        ),
    ),
    Choice(
        "high",
        (
            "urgent",
            "very urgent",
            "asap",
            "as soon as possible",
            "emergency",
            "critical",
            "immediately",
            "right now",
            "high priority",
            "today",
            "top priority",
        ),
    ),
)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def _said(text: str, choices: Sequence[Choice]) -> tuple[str | None, float]:
    """The choice whose phrase is said outright (the longest phrase wins; a tie is no answer)."""
    tokens = _tokens(text)
    best: dict[str, int] = {}
    for choice in choices:
        for phrase in choice.phrases:
            words = _tokens(phrase)
            if _contains(tokens, words):
                best[choice.value] = max(best.get(choice.value, 0), len(words))
    if not best:
        return None, 0.0
    top = max(best.values())
    winners = [value for value, length in best.items() if length == top]
    return (winners[0], 1.0) if len(winners) == 1 else (None, 0.0)


def _stem(word: str) -> str:
    return re.sub(r"(ing|ed|es|s|ly)$", "", word) if len(word) > 4 else word


def _lexical(text: str, choices: Sequence[Choice]) -> tuple[str | None, float]:
    """Fallback: share of a phrase's content words heard (stems, near spellings)."""
    heard = [_stem(t) for t in _tokens(text) if t not in _STOP]
    scores: dict[str, float] = {}
    for choice in choices:
        for phrase in choice.phrases:
            words = [_stem(t) for t in _tokens(phrase) if t not in _STOP]
            if not words:
                continue
            hits = sum(1 for w in words if difflib.get_close_matches(w, heard, n=1, cutoff=0.8))
            scores[choice.value] = max(scores.get(choice.value, 0.0), hits / len(words))
    if not scores:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked[0][1] <= 0.5 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None, 0.0
    return ranked[0][0], ranked[0][1] * 0.8


def _semantic(text: str, choices: Sequence[Choice]) -> tuple[str | None, float] | None:
    """Meaning match with `tools.semantic` (None when that encoder is not installed)."""
    try:
        from tools import semantic
    except ImportError:
        return None
    similarity = getattr(semantic, "similarity", None)
    if similarity is None:
        return None
    phrases = [(choice.value, phrase) for choice in choices for phrase in choice.phrases]
    scores = similarity(text, [p for _, p in phrases])
    best = max(range(len(phrases)), key=lambda i: scores[i])
    return (phrases[best][0], float(scores[best])) if scores[best] >= SEMANTIC_MIN else (None, 0.0)


def match_choice(text: str, choices: Sequence[Choice]) -> tuple[str | None, float]:
    """(value, confidence 0..1) of the choice `text` means, or (None, 0.0)."""
    value, confidence = _said(text, choices)
    if value is not None:
        return value, confidence
    meant = _semantic(text, choices)
    return meant if meant is not None else _lexical(text, choices)


def parse_scale(text: str, low: int, high: int) -> tuple[int | None, str | None]:
    found = [a.value for a in amounts(text)]
    if not found:
        return None, f"a number from {low} to {high}"
    value = found[0]
    if len(found) >= 2 and re.search(r"\bout of\b", text.lower()) and found[1] != high:
        value = low + (high - low) * value / found[1]  # "four out of five" on a 1-10 scale
    if not low <= value <= high:
        return None, f"a number from {low} to {high}"
    return round(value), None


def choices_of(raw: Sequence[Any]) -> tuple[Choice, ...]:
    return tuple(
        Choice(c["value"], tuple(c.get("says", ()))) if isinstance(c, dict) else Choice(str(c)) for c in raw
    )
