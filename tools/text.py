"""The project's text toolkit: tokens, the one sentence splitter (pysbd),
Snowball stemming, the stop-word and filler lists.

Everything here is pure, deterministic and safe on any input (empty, punctuation only, very long).
"""

from __future__ import annotations

import functools
import re

import pysbd
import snowballstemmer

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*%?")

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


# --------------------------------------------------------------------------- sentences


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence of `text`, without the space around it, in order. A new line
    always ends a sentence; within a line pysbd decides, so abbreviations ("Dr. Smith", "e.g. this")
    and numbers ("3.5 percent") stay inside their sentence."""
    return list(_spans(text or ""))


@functools.lru_cache(maxsize=256)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    """Cached: the scorers split the same answer several times."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        spans.extend((line_start + a, line_start + b) for a, b in _line_spans(line))
        line_start += len(line) + 1
    return tuple(spans)


_WINDOW = 1500
"""pysbd's time grows with the square of the text's length (its abbreviation pass rewrites the whole
text per abbreviation): a long line is segmented a window at a time, like a stream."""


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start, window = 0, _WINDOW
    while line[start:].strip():
        end = len(line) if len(line) - start <= window else line.find(" ", start + window)
        end = len(line) if end < 0 else end
        found = _segments(line[start:end])
        if end < len(line) and len(found) < 2:
            window *= 2  # one very long sentence: look further for its end
            continue
        last = found if end == len(line) else found[:-1]  # the window's last one may go on after it
        spans.extend((start + a, start + b) for a, b in last)
        if end == len(line):
            break
        start, window = start + found[-1][0], _WINDOW
    return spans


def _segments(piece: str) -> list[tuple[int, int]]:
    """pysbd's sentences of `piece` as stripped spans into it."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for segment in _segmenter().segment(piece):
        sentence = segment.strip()
        start = piece.find(sentence, cursor) if sentence else -1
        if start >= 0:
            cursor = start + len(sentence)
            spans.append((start, cursor))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped (empty ones dropped)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentences(text: str) -> list[str]:
    """The sentences of `text` that have a word in them (what the scorers count)."""
    return [s for s in split_sentences(text) if _WORD.search(s)]


_STEMMER = snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: "deploying"/"deployment"/"deployed" -> "deploy"."""
    return str(_STEMMER.stemWord(word.lower()))


def content_stems(text: str) -> set[str]:
    """Stems of the content words (no stop words, no numbers, at least three letters)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and w.isalpha() and len(w) >= 3}


def clip(value: float, low: float = 1.0, high: float = 10.0) -> float:
    return max(low, min(high, value))
