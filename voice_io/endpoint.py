"""A light semantic check on top of the VAD endpoint: does the transcript look like the user
stopped mid-thought ("ask not…", "and so, my fellow…", "because")? Then the session waits a little
longer before answering, and speech that resumes in that grace joins the same turn."""

from __future__ import annotations

import re

_TRAILING = {
    "and", "but", "so", "or", "because", "the", "a", "an", "to", "of", "not", "my", "your", "our",
    "with", "for", "if", "that", "then", "like", "um", "uh", "er", "erm", "is", "are", "was", "were",
    "i", "we", "you", "in", "on", "at", "as", "than", "which", "who", "when", "while", "although",
    "about", "from", "into", "by", "what", "how", "why", "where", "also", "just", "well",
}  # fmt: skip
_WORD = re.compile(r"[a-z']+")
_THINKING = re.compile(
    r"(?:\blet me (?:think|see)|\bgive me a (?:second|sec|moment|minute)|\bhold on|\bgood question|"
    r"\bhmm+|\bum+|\buh+|\berm|\bwell|\bi'm thinking|\bthinking)\W*$",
    re.IGNORECASE,
)


def thinking_aloud(text: str) -> bool:
    """True for a transcript that ends in thinking aloud ("let me think", "hmm", a trailing "um"):
    the user is likely to go on after a longer pause (the session waits `thinking_grace_s`)."""
    return bool(_THINKING.search(text.strip()))


def looks_unfinished(text: str) -> bool:
    """True for a transcript that probably continues after the pause."""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith((",", "-", "—", "...", "…", ":", ";")):
        return True
    words = _WORD.findall(stripped.lower())
    if not words:
        return False
    if words[-1] in _TRAILING:
        return True
    return thinking_aloud(stripped)
