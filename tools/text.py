"""Small text helpers shared by the scorers: tokens, sentences, Snowball stemming, the stop-word and
filler lists (one of each for tools/).

Everything here is pure, deterministic and safe on any input (empty, punctuation only, very long).
"""

from __future__ import annotations

import re

import snowballstemmer

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


FILLERS = (
    "um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "you know", "i mean", "i guess", "kind of",
    "sort of", "like", "basically", "actually", "literally", "honestly", "anyway", "so yeah", "yeah",
    "okay", "more or less",
)
"""Fillers and hedges of spoken answers, for counting how padded an answer is (graph.fluency tells a
filler "like" from the verb by context; this list only counts)."""

_LONGEST_FIRST = sorted(FILLERS, key=len, reverse=True)
FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in _LONGEST_FIRST) + r")\b", re.IGNORECASE)


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


_STEMMER = snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: "deploying"/"deployment"/"deployed" -> "deploy"."""
    return str(_STEMMER.stemWord(word.lower()))


def content_stems(text: str) -> set[str]:
    """Stems of the content words (no stop words, no numbers, at least three letters)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and w.isalpha() and len(w) >= 3}


def clip(value: float, low: float = 1.0, high: float = 10.0) -> float:
    return max(low, min(high, value))
