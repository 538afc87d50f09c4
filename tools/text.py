"""Small text helpers shared by the rule-based scorers: tokens, sentences, light stemming.

Everything here is pure, deterministic and safe on any input (empty, punctuation only, very long).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*%?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves um uh er ah like yeah okay ok well
    really actually basically maybe thing things stuff lot get got i'm it's don't didn't was we're
    they're that's there's i've i'd you're can't won't let's gonna wanna kind sort mean know tell
    describe explain give time example""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word and number tokens ("I've" stays one token, "30%" keeps its sign)."""
    return [w.lower() for w in _WORD.findall(text or "")]


def raw_words(text: str) -> list[str]:
    """Word tokens with their original case (for proper-noun detection)."""
    return _WORD.findall(text or "")


def sentences(text: str) -> list[str]:
    """Split into sentences on end punctuation or new lines; keeps only pieces with a word in them."""
    parts = _SENTENCE_END.split((text or "").strip())
    return [p.strip() for p in parts if p and _WORD.search(p)]


def stem(word: str) -> str:
    """A light suffix stripper, enough to match "deploying"/"deployment"/"deployed" to "deploy"."""
    w = word.lower()
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "ed",
                   "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ies", "ied"):
                w += "y"
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "planned" -> "plann" -> "plan"
    while len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # "cache"/"caching" -> "cach", "disagree"/"disagreed" -> "disagr"
    return w


def content_stems(text: str) -> set[str]:
    """Stems of the content words (no stop words, no numbers, at least three letters)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and w.isalpha() and len(w) >= 3}


def clip(value: float, low: float = 1.0, high: float = 10.0) -> float:
    return max(low, min(high, value))
