"""Feedback on a learner's spoken English: `analyze_english(text=..., level=...)`.

Errors come from `tools.grammar` (rule-based, with corrections); "new vocabulary" is the words the
learner used that lie above their level in the bundled word list (`tools.wordlists`), i.e. words
worth praising; `difficulty_signal` tells the tutor to raise (+1), keep (0) or lower (-1) the level.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tools.grammar import find_errors
from tools.text import STOPWORDS, raw_words, sentences, words
from tools.wordlists import is_known, known_at, level_rank

EXPECTED_SENTENCE_WORDS = {1: 5, 2: 7, 3: 10, 4: 12, 5: 14, 6: 16}
"""Average sentence length (words) a confident speaker at each level (A1..C2) tends to reach."""
MAX_NEW_WORDS = 10


def analyze_english(*, text: str, level: str) -> dict[str, Any]:
    """`{"errors": [{"original", "correction", "explanation"}], "new_vocabulary": [str],
    "difficulty_signal": -1 | 0 | 1, "word_count": int}`. Never raises on odd input."""
    text = text if isinstance(text, str) else ""
    level = level if isinstance(level, str) else ""
    errors = find_errors(text)
    tokens = words(text)
    vocabulary = new_vocabulary(text, level, exclude=_error_words(errors))
    return {
        "errors": errors,
        "new_vocabulary": vocabulary,
        "difficulty_signal": difficulty_signal(text=text, level=level, error_count=len(errors),
                                               new_words=len(vocabulary)),
        "word_count": len(tokens),
    }


def _error_words(errors: list[dict[str, str]]) -> set[str]:
    return {w for e in errors for w in words(e["original"])}


def new_vocabulary(text: str, level: str, *, exclude: Collection[str] = ()) -> list[str]:
    """Words above `level` the learner used, in order of first use (names and numbers skipped)."""
    known = known_at(level)
    found: list[str] = []
    for sentence in sentences(text):
        for i, token in enumerate(raw_words(sentence)):
            word = token.lower()
            if (not token.isalpha() and "'" not in token) or len(word) < 4 or word in STOPWORDS:
                continue
            if i > 0 and token[0].isupper():
                continue  # a name: "Berlin", "Anna"
            if word in exclude or word in found or is_known(word, known):
                continue
            found.append(word)
    return found[:MAX_NEW_WORDS]


def difficulty_signal(*, text: str, level: str, error_count: int, new_words: int) -> int:
    """+1 when the learner is doing well for their level, -1 when struggling, else 0."""
    count = len(words(text))
    if count == 0:
        return 0  # silence or a recognition glitch says nothing about the level
    parts = sentences(text) or [text]
    per_sentence = count / len(parts)
    errors_per_100 = 100 * error_count / count
    expected = EXPECTED_SENTENCE_WORDS[level_rank(level)]
    if count > 30 and len(set(words(text))) / count < 0.3:
        return 0  # the same few words over and over: no signal
    if count < 4 or errors_per_100 >= 10 or (count < 8 and error_count >= 1):
        return -1
    if errors_per_100 >= 6 and per_sentence < expected * 0.6:
        return -1
    if errors_per_100 <= 3 and count >= 12 and (per_sentence >= expected or new_words >= 2):
        return 1
    return 0
