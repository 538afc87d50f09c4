"""Recognising backchannels ("mm-hm", "yeah") in user speech."""

from __future__ import annotations

import re

_BACKCHANNEL_WORD = re.compile(
    r"""^(?:
        yeah+|yea|yes|yep|yup|ya|
        okay|ok|k|alright|
        right|sure|cool|
        m+h?m+|h+m+|
        u+h+h?u+h+|
        oh|ah|aha|uh
    )$""",
    re.VERBOSE,
)
_BACKCHANNEL_PHRASE = re.compile(r"\b(?:i see|got it|all right|uh huh|mm hm+|m+ hm+)\b")
_FILLERS = {"oh", "ah", "uh"}
_MAX_BACKCHANNEL_WORDS = 3


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # mm-hm → mmhm, uh-huh → uhhuh
    return re.findall(r"[a-z']+", text)


def is_backchannel(text: str) -> bool:
    """True for a short acknowledgement that should not interrupt the agent ("mm-hm", "uh-huh",
    "yeah", "okay", "right", "I see", "got it", "yeah yeah"): at most three words, nothing else.
    False for anything with content ("yeah but what about...", "no", "stop", "wait") and for a bare
    hesitation ("uh", "oh"), which is often the start of a real turn."""
    words = _words(text)
    if not words or len(words) > _MAX_BACKCHANNEL_WORDS:
        return False
    leftover = _BACKCHANNEL_PHRASE.sub(" ", " ".join(words)).split()
    if not all(_BACKCHANNEL_WORD.match(w) for w in leftover):
        return False
    had_phrase = len(leftover) < len(words)
    return had_phrase or any(w not in _FILLERS for w in leftover)
