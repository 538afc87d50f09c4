"""Checks spoken model output one sentence at a time.

Pure, synchronous logic (easy to unit-test): `tools.text.split_sentences` cuts the model's text
into sentences, `clean` drops stray quotes around one, and `SentenceGuard.check` says whether it may
be spoken, ends the turn, or is rejected (the caller then keeps to the template). A remark
(`GuardSpec.mode == "remark"`) must be short, about the user's words (sharing a content word with
them, every name and figure theirs), in the second person, without praise and without a question:
the schema shapes it, the guard checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tools.text import content_stems, stem

Verdict = Literal["speak", "speak_and_stop", "stop", "reject"]

_ARTEFACT = re.compile(
    r"(\b(user|assistant|system|candidate|interviewer|interviewee|learner|student|tutor|teacher|coach|"
    r"ai|bot|human|agent)\s*:)|<\||\|>|[\[\]{}#*_~`]|https?://|\bas an ai\b|\blanguage model\b",
    re.IGNORECASE,
)
_META = re.compile(
    r":|\.\.\.|…|\b(candidate|learner|interviewee|sorry|no idea|i cannot|i can't|in your own words|"
    r"friendly sentence|short sentence|exactly this|instructions?)\b",
    re.IGNORECASE,
)
"""Prompt echoes, meta-talk, apologies and trailing-off: fine in a template, never from the model."""
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|me|my|mine|our|ours|we|us)\b", re.IGNORECASE)
"""A remark is about the user's words, not the model's own (invented) story."""
_PRAISE = re.compile(
    r"\b(great|excellent|impressive|amazing|fantastic|perfect|brilliant|awesome|wonderful|outstanding|"
    r"strong|good|nice|well done|love)\b",
    re.IGNORECASE,
)
"""Praise comes from the evaluation, never from the phrasing model (it cannot tell a weak answer)."""
_CUT_OFF = re.compile(
    r"(-|\b(a|an|and|as|at|but|by|for|in|of|on|or|that|the|to|which|with|your))\W*$", re.IGNORECASE
)
"""A remark that stops on a hyphen or a function word was cut at the schema's length limit."""
_WORD = re.compile(r"[a-zA-Z']+")
_NAME_OR_FIGURE = re.compile(r"\b(?:[A-Z][A-Za-z]+|\w*\d\w*)\b")
_GENERIC = frozenset(
    stem(w) for w in "answer question good great thank thanks please make made think want going might".split()
)
"""Words a remark may use without referring to anything the user said (beyond the stop words)."""


def clean(sentence: str) -> str:
    """The sentence without quotes around it or a lone quote at either end."""
    sentence = sentence.strip()
    if len(sentence) > 1 and sentence[0] == sentence[-1] and sentence[0] in "\"'":
        sentence = sentence[1:-1].strip()
    return sentence.lstrip('"“').rstrip('"”') if sentence.count('"') == 1 else sentence


def shared_content(text: str, other: str) -> set[str]:
    """The content words (Snowball stems, `tools.text`) two texts share, generic ones aside."""
    return (content_stems(text) & content_stems(other)) - _GENERIC


@dataclass
class GuardSpec:
    mode: Literal["remark", "statement"]
    """remark: one short sentence on the user's words (`echo_of`), spoken between the template's lead
    and its question; statement: up to `max_sentences` plain sentences."""
    echo_of: str = ""
    """What the user said."""
    max_sentences: int = 2
    """statement mode: sentences spoken at most."""
    max_words: int = 32
    remark_words: int = 14
    """remark mode: a remark is short."""


@dataclass
class SentenceGuard:
    spec: GuardSpec
    spoken: list[str] = field(default_factory=list)
    reason: str = ""

    def check(self, sentence: str) -> Verdict:
        spec = self.spec
        if _ARTEFACT.search(sentence):
            return self._reject("role-play or markup artefact")
        if _META.search(sentence):
            return self._reject("meta-talk, apology or prompt echo")
        words = _WORD.findall(sentence)
        if not words:
            return self._reject("no words")
        if len(words) > spec.max_words:
            return self._reject("sentence too long")
        if sentence.lower() in (s.lower() for s in self.spoken):
            return self._reject("repetition")
        if "?" in sentence:
            return self._reject("a question (the template asks it)")
        if spec.mode == "statement":
            if len(self.spoken) >= spec.max_sentences:
                return "stop"
            self.spoken.append(sentence)
            return "speak"
        if reason := self.remark_problem(sentence, words):
            return self._reject(reason)
        self.spoken.append(sentence)
        return "speak_and_stop"

    def remark_problem(self, sentence: str, words: list[str]) -> str | None:
        """Why a remark cannot be spoken, or None."""
        said = self.spec.echo_of
        if len(words) > self.spec.remark_words:
            return "remark too long"
        if _CUT_OFF.search(sentence):
            return "remark cut off"
        if _FIRST_PERSON.search(sentence):
            return "remark in the first person"
        if _PRAISE.search(sentence):
            return "praise"
        if not shared_content(sentence, said):
            return "does not reference the user's words"
        lowered = said.lower()
        invented = [t for t in _NAME_OR_FIGURE.findall(sentence)[1:] if t.lower() not in lowered]
        if invented:  # names and figures must be the user's own (the first word is capitalised anyway)
            return f"invents {invented[0]!r}"
        return None

    def _reject(self, reason: str) -> Verdict:
        self.reason = reason
        return "reject"
