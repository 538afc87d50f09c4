"""Text for speech: sentence splitting (pysbd), incremental sentence chunking of streamed LLM
tokens for TTS, and recognising backchannels ("mm-hm", "yeah") in user speech."""

from __future__ import annotations

import functools
import re

import pysbd

# --------------------------------------------------------------------------- sentences


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping abbreviations ("Dr. Smith", "e.g. this") and numbers
    ("3.5 percent") inside their sentence. Sentences are stripped; empty ones are dropped."""
    if not text.strip():
        return []
    return [s.strip() for s in _segmenter().segment(text.strip()) if s.strip()]


# A clause boundary: , ; : followed by a space, or a spaced dash / an em dash.
_CLAUSE_BOUNDARY = re.compile(r"[,;:](?=\s)|\s[-–—]\s|—")


class SentenceChunker:
    """Turns streamed text (LLM tokens) into speakable chunks, one reply at a time.

    `push()` returns the sentences completed so far; a sentence counts as complete only once more
    text follows it (the tail may still grow: "Dr." + " Smith", "3." + "5"). `flush()` returns what
    is left at the end of the reply and readies the chunker for the next one.

    With `first_clause=True`, the first chunk of a reply may be cut early at a clause boundary
    (comma, semicolon, colon or dash after at least `min_clause_words` words) so that speech can
    start before the first sentence is finished.
    """

    def __init__(self, *, first_clause: bool = False, min_clause_words: int = 4) -> None:
        self.first_clause = first_clause
        self.min_clause_words = min_clause_words
        self._buffer = ""
        self._emitted = False

    def push(self, text: str) -> list[str]:
        self._buffer += text
        out = self._take_sentences()
        if not out and self.first_clause and not self._emitted:
            clause = self._take_first_clause()
            if clause:
                out.append(clause)
                out.extend(self._take_sentences())
        self._emitted = self._emitted or bool(out)
        return out

    def flush(self) -> list[str]:
        rest = split_sentences(self._buffer)
        self._buffer = ""
        self._emitted = False
        return rest

    @property
    def pending(self) -> str:
        """Text received but not returned yet."""
        return self._buffer

    def _take_sentences(self) -> list[str]:
        buffer = self._buffer.lstrip()
        if not buffer:
            return []
        segments = [s.strip() for s in _segmenter().segment(buffer) if s.strip()]
        done: list[str] = []
        cursor = 0
        for sentence in segments[:-1]:  # the last one may be incomplete
            start = buffer.find(sentence, cursor)
            if start < 0:
                break
            end = start + len(sentence)
            # a split not followed by whitespace ("e." | "g.", "3." | "5") is not final yet
            if not buffer[end : end + 1].isspace():
                break
            done.append(sentence)
            cursor = end
        self._buffer = buffer[cursor:].lstrip() if done else buffer
        return done

    def _take_first_clause(self) -> str | None:
        buffer = self._buffer
        for match in _CLAUSE_BOUNDARY.finditer(buffer):
            head = buffer[: match.end()].strip()
            # a boundary must have more text after it, or it may be the sentence's end
            if not buffer[match.end() :].strip():
                return None
            if len(re.findall(r"\w+", head)) < self.min_clause_words:
                continue
            if head[-1] in "-–—":
                head = head[:-1].rstrip()
            self._buffer = buffer[match.end() :].lstrip()
            return head
        return None


# --------------------------------------------------------------------------- backchannels

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
