"""Choosing from a list by meaning: "it's quite urgent actually" -> high, "no rush" -> low.

Each choice is a value plus phrases that mean it (`says:` in the spec). `match_choice` first looks
for a phrase said outright (the longest wins, so "not urgent" beats "urgent"); failing that, it asks
the sentence encoder of `tools.semantic` (all-MiniLM-L6-v2), and only when that cannot load
compares words (stems, near spellings) as a fallback. Scale answers ("seven out of ten") are
numbers in a range.
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
SEMANTIC_MIN = 0.4
"""Least cosine similarity (all-MiniLM-L6-v2) for a choice matched by meaning..."""
SEMANTIC_ONE_WORD = 0.7
"""...for a one-word answer (single words embed noisily: "purple" is 0.41 from "moderate")..."""
SEMANTIC_MARGIN = 0.06
"""...and by how much it must beat the next choice (else the answer is unclear: ask again)."""


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


_NEGATION = frozenset("not no never nothing none don't doesn't isn't can't won't".split())


def _negated(text: str) -> bool:
    """Embeddings miss negation ("pretty important" is close to "not important"): phrases are
    only compared with answers of the same polarity."""
    return any(t in _NEGATION for t in _tokens(text))


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
    """Meaning match with the sentence encoder of `tools.semantic` (None when it cannot load).
    Blocking (a model forward pass): slot parsing runs in a worker thread."""
    try:
        from tools.semantic.encoder import EncoderUnavailable, shared_encoder
    except ImportError:
        return None
    negated = _negated(text)
    phrases = [(c.value, p) for c in choices for p in c.phrases if _negated(p) == negated]
    content = [t for t in _tokens(text) if t not in _STOP]
    if not phrases or not content:
        return None, 0.0
    try:
        encoder = shared_encoder()
        vectors = encoder.encode([p for _, p in phrases])
        heard = encoder.encode([text])[0]
    except EncoderUnavailable:
        return None
    best: dict[str, float] = {}
    for (value, _), score in zip(phrases, vectors @ heard, strict=True):
        best[value] = max(best.get(value, -1.0), float(score))
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    top, runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else -1.0
    least = SEMANTIC_MIN if len(content) >= 2 else SEMANTIC_ONE_WORD
    if top[1] < least or top[1] - runner_up < SEMANTIC_MARGIN:
        return None, 0.0
    return top[0], top[1]


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
