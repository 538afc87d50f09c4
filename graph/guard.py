"""Checks spoken model output one sentence at a time, as tokens stream.

Pure, synchronous logic (easy to unit-test): `tools.text.SentenceStream` cuts the streamed tokens
into finished sentences, `clean` drops stray quotes around one, and `SentenceGuard.check` says whether
it may be spoken, ends the turn, or is rejected (the caller then falls back to the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

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
_NARRATIVE = re.compile(
    r"\b(my|mine|our|we)\b|\bI (had|was|did|have|went|got|worked|used|made|think|believe|would|will)\b",
    re.IGNORECASE,
)
"""A lead-in is an acknowledgement, not the model's own (invented) story."""
_WORD = re.compile(r"[a-zA-Z']+")
_IMPERATIVE = re.compile(
    r"^(so,?\s+|now,?\s+|please\s+)?(tell|describe|walk|explain|give|talk|share)\b", re.I
)
STOPWORDS = frozenset(
    """about above after again against also been before being below between both could does doing down
    during each from further have having here hers herself himself into itself just more most myself once
    only other ours ourselves over same should some such than that their theirs them themselves then there
    these they this those through under until very were what when where which while whom with would your
    yours yourself yourselves tell time like please really great thanks thank good question answer
    could might maybe well make made know think going want""".split()
)


def clean(sentence: str) -> str:
    """The sentence without quotes around it or a lone quote at either end."""
    sentence = sentence.strip()
    if len(sentence) > 1 and sentence[0] == sentence[-1] and sentence[0] in "\"'":
        sentence = sentence[1:-1].strip()
    return sentence.lstrip('"“').rstrip('"”') if sentence.count('"') == 1 else sentence


def content_words(text: str) -> set[str]:
    words = set()
    for w in _WORD.findall(text.lower()):
        if len(w) < 4 or w in STOPWORDS:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        words.add(w)
    return words


@dataclass
class GuardSpec:
    mode: Literal["question", "statement"]
    target: str = ""
    """question mode: the question the turn must ask (on-topic reference; also the fallback)."""
    topic: str = ""
    """Extra words that count as on topic."""
    max_lead: int = 2
    """question mode: statements allowed before the question."""
    max_lead_words: int = 12
    """question mode: a lead-in sentence is a short acknowledgement."""
    max_sentences: int = 2
    """statement mode: sentences spoken at most."""
    max_words: int = 32
    echo_of: str = ""
    """What the user said: a sentence repeating most of it is rejected (small models parrot)."""
    prompt: str = ""
    """The instructions the model got: a lead-in repeating them is rejected."""


@dataclass
class SentenceGuard:
    spec: GuardSpec
    spoken: list[str] = field(default_factory=list)
    asked: bool = False
    reason: str = ""

    def check(self, sentence: str) -> Verdict:
        spec = self.spec
        if _ARTEFACT.search(sentence):
            return self._reject("role-play or markup artefact")
        if _META.search(sentence):
            return self._reject("meta-talk, apology or prompt echo")
        if self.echoes(sentence):
            return self._reject("parrots the user")
        words = _WORD.findall(sentence)
        if not words:
            return self._reject("no words")
        if len(words) > spec.max_words:
            return self._reject("sentence too long")
        if sentence.lower() in (s.lower() for s in self.spoken):
            return self._reject("repetition")
        questions = sentence.count("?")
        if spec.mode == "statement":
            if len(self.spoken) >= spec.max_sentences:
                return "stop"
            if questions:
                return self._reject("a question in a statement turn")
            self.spoken.append(sentence)
            return "speak"
        # question mode: a few short statements, then exactly one on-topic question
        if questions > 1 or (questions == 1 and not sentence.rstrip().endswith("?")):
            return self._reject("more than one question")
        if questions == 0 and _IMPERATIVE.match(sentence) and self.on_topic(sentence):
            questions = 1  # "Tell me about a time ..." asks as much as a question does
        elif questions == 0:
            if len(self.spoken) >= spec.max_lead:
                return self._reject("too many sentences before the question")
            if len(words) > spec.max_lead_words or _NARRATIVE.search(sentence):
                return self._reject("lead-in is not a short acknowledgement")
            self.spoken.append(sentence)
            return "speak"
        if not self.on_topic(sentence):
            return self._reject("question off topic")
        self.spoken.append(sentence)
        self.asked = True
        return "speak_and_stop"

    def echoes(self, sentence: str) -> bool:
        mine = content_words(sentence)
        if len(mine) >= 4 and self.spec.echo_of:
            if len(mine & content_words(self.spec.echo_of)) >= 0.6 * len(mine):
                return True
        if mine and self.spec.prompt and self.spec.mode == "question" and "?" not in sentence:
            reference = content_words(self.spec.prompt) - content_words(self.spec.target)
            return len(mine & reference) >= max(2, 0.6 * len(mine))
        return False

    def on_topic(self, sentence: str) -> bool:
        reference = content_words(self.spec.target)
        if not reference:
            return True
        shared = content_words(sentence) & (reference | content_words(self.spec.topic))
        return len(shared) >= min(2, len(reference))

    def _reject(self, reason: str) -> Verdict:
        self.reason = reason
        return "reject"
