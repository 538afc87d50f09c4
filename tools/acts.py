"""What a user turn is (its dialogue act), decided before a workflow acts on it.

    classify_act(text, *, asked="", encoder=None) -> Act

Acts: "answer" (or part of one), "question" (to the agent), "clarify" (repeat / rephrase / say it more
simply), "pass" ("I don't know", skip), "thinking" ("let me think..."), "smalltalk" (greeting,
readiness, thanks) and "control" (stop, easier, harder, another topic). Only answers are evaluated.

How: short cue phrases that leave no doubt decide first (guard-rails); then the turn's meaning is
compared with example turns of every act (tools.acts_examples, embedded once with the offline
sentence encoder, tools.semantic.encoder); a turn that is long, or close to no act, is an answer.
Without the encoder (EncoderUnavailable) the cues and the question form decide alone. When a capable
LLM is configured, graph.acts asks it to confirm the acts the cues did not settle.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tools.acts_examples import EXAMPLES
from tools.text import split_sentences

log = logging.getLogger(__name__)

ACTS = ("answer", "question", "clarify", "pass", "thinking", "smalltalk", "control")
MAX_SHORT_WORDS = 14
"""Cue phrases decide only in turns this short (a long turn that says "I don't know" is an answer)."""
MAX_MEANING_WORDS = 30
"""Longer turns are answers: asking, passing or thinking aloud takes few words."""
MIN_SIMILARITY = 0.38
MIN_MARGIN = 0.08
"""A non-answer act needs this cosine similarity to its examples and this lead over "answer"."""


class SentenceEncoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Act:
    kind: str
    detail: str = ""
    """clarify: repeat | rephrase | simpler; control: stop | easier | harder | topic; smalltalk: ready."""
    confidence: float = 0.5
    source: str = "default"
    """cue | meaning | llm | default"""
    question: str = ""
    """For an answer that ends with a question to the agent ("... and you?"): that question."""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "confidence": round(float(self.confidence), 3)}


_FILLERS = re.compile(r"\b(?:um+|uh+|er+m?|hmm+|mm+|ah+|oh|well|so|like|okay so|you know)\b[,.]?\s*", re.I)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("control", "stop", _rx(r"\b(?:(?:can|could) we|let's|i (?:want|would like|'d like) to|i need to) "
                            r"(?:stop|finish|end|wrap up|quit)\b|\bthat's (?:enough|all) for today\b|"
                            r"^(?:stop|finish|end the session|goodbye|bye)\b")),
    ("control", "topic", _rx(r"\b(?:change|another|different) (?:the )?(?:topic|subject)\b|"
                             r"\btalk about (?:something else|[a-z ]{2,30} instead)\b")),
    ("control", "easier", _rx(r"\b(?:too (?:hard|difficult)|easier questions|make it easier|"
                              r"(?:lower|easier) level)\b")),
    ("control", "harder", _rx(r"\b(?:too easy|harder questions|more difficult questions|make it harder|"
                              r"(?:higher|harder) level)\b")),
    ("clarify", "simpler", _rx(r"\b(?:more simply|simpler|in (?:easier|simple) words|more slowly|slower|"
                               r"easier words)\b")),
    ("clarify", "repeat", _rx(r"\b(?:repeat|say (?:that|it) again|pardon|come again|didn'?t (?:catch|hear)|"
                              r"what was the question|what's the question|one more time)\b")),
    ("clarify", "rephrase", _rx(r"\b(?:rephrase|what do you mean|what does .{1,30} mean|"
                                r"(?:don't|do not) understand (?:the|your|that|what)|explain the question|"
                                r"mean by|say it (?:differently|another way)|in other words)\b")),
    ("pass", "", _rx(r"^(?:i )?(?:really |honestly )?(?:don't|do not|dunno) know\b|^no idea\b|"
                     r"^i have no idea\b|^(?:i )?(?:pass|skip)\b|\bskip (?:this|that|it)\b|"
                     r"^next question\b|^i can'?t answer\b|^i'm not sure\W*$|^not sure\W*$")),
    ("thinking", "", _rx(r"\b(?:let me (?:think|see)|give me a (?:second|moment|minute|sec)|hold on|"
                         r"good question|tough one|i'm thinking|just a (?:second|moment|minute))\b")),
    ("smalltalk", "ready", _rx(r"^(?:(?:yes|yeah|yep|sure|ok|okay|great|perfect|hi|hello|hey)[ ,!.]*)*"
                               r"(?:(?:i'm|i am|we're) ready\b|let's (?:start|begin|go|do it)|ready\b|"
                               r"go ahead)")),
    ("smalltalk", "", _rx(r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|"
                          r"nice to meet you|how are you)\b|"
                          r"^(?:ok|okay|alright|all right|sure|right|yes|yeah|mm-?hm|got it|i see)\W*$")),
)
_YES_NO = _rx(r"^(?:yes|yeah|yep|no|nope|not really|sure|of course|ok|okay|sometimes|maybe)\b")
_YES_NO_QUESTION = _rx(r"^(?:\w+[,.]?\s+){0,3}?(?:do|does|did|are|is|was|were|have|has|can|could|would|"
                       r"will|should)\s+(?:you|your)\b")
_QUESTION_START = _rx(r"^(?:what|who|where|when|why|how|which|do|does|did|are|is|can|could|would|will|"
                      r"have|has|should|may)\b")
_TO_AGENT = _rx(r"\b(?:you|your|yours|yourself|the team|the role|the company|the job|the position)\b")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _FILLERS.sub("", text or "")).strip(" ,.")


def _cue(clean: str, asked: str) -> Act | None:
    words = clean.split()
    if not words or len(words) > MAX_SHORT_WORDS:
        return None
    if _YES_NO_QUESTION.search(asked or "") and _YES_NO.match(clean) and "ready" not in clean.lower():
        return Act("answer", confidence=0.8, source="cue")  # "Do you play sports?" "Yes, tennis."
    for kind, detail, pattern in _CUES:
        if pattern.search(clean):
            return Act(kind, detail, 0.9, "cue")
    return None


def _question_form(sentence: str) -> bool:
    return sentence.endswith("?") or bool(_QUESTION_START.match(_clean(sentence)))


_EXAMPLE_TEXTS: list[str] = [t for act in ACTS for t in EXAMPLES[act]]
_EXAMPLE_ACTS = np.array([act for act in ACTS for _ in EXAMPLES[act]])
EXAMPLE_VECTORS = Path(__file__).with_name("acts_examples.npz")
"""The example turns' embeddings, computed once (`write_example_vectors`): encoding ~90 sentences
takes seconds on a busy 2-core machine, so the first turn of a session does not wait for it. Used
only while its texts are exactly the current examples (tests check it against the live encoder)."""


@lru_cache(maxsize=1)
def _stored_vectors() -> np.ndarray | None:
    try:
        with np.load(EXAMPLE_VECTORS) as stored:
            if [str(t) for t in stored["texts"]] == _EXAMPLE_TEXTS:
                return np.asarray(stored["vectors"], dtype=np.float32)
    except (OSError, KeyError, ValueError):
        pass
    log.warning("%s is missing or stale; encoding the example turns now", EXAMPLE_VECTORS.name)
    return None


def write_example_vectors(encoder: SentenceEncoder) -> None:
    """Store the example turns' embeddings (run after changing tools/acts_examples.py)."""
    vectors = encoder.encode(_EXAMPLE_TEXTS)
    np.savez_compressed(EXAMPLE_VECTORS, texts=np.array(_EXAMPLE_TEXTS), vectors=vectors.astype(np.float32))
    _stored_vectors.cache_clear()


def example_vectors(encoder: SentenceEncoder) -> np.ndarray:
    stored = _stored_vectors()
    return stored if stored is not None else encoder.encode(_EXAMPLE_TEXTS)


def _meaning(text: str, encoder: SentenceEncoder) -> tuple[str, float, float]:
    """(best act, its similarity, its lead over "answer") by the closest example turns."""
    similarity = example_vectors(encoder) @ encoder.encode([text])[0]
    best = {act: float(np.sort(similarity[_EXAMPLE_ACTS == act])[-2:].mean()) for act in ACTS}
    act = max(best, key=lambda a: best[a])
    return act, best[act], best[act] - best["answer"]


def _default_encoder() -> SentenceEncoder | None:
    try:
        from tools.semantic.encoder import shared_encoder

        return shared_encoder()
    except Exception:  # EncoderUnavailable, or the package missing: cues decide alone
        log.warning("sentence encoder unavailable; dialogue acts from cues only", exc_info=True)
        return None


def classify_act(text: str, *, asked: str = "", encoder: SentenceEncoder | None = None,
                 use_encoder: bool = True) -> Act:
    """The act of one user turn. `asked`: what the agent last asked (a yes/no question makes "yes"
    an answer). Blocking (the encoder): call it from a worker thread."""
    text = text if isinstance(text, str) else ""
    clean = _clean(text)
    if not clean:
        return Act("thinking", confidence=0.6, source="cue") if text.strip() else Act("answer")
    if (cue := _cue(clean, asked)) is not None:
        return cue
    sentences = split_sentences(text)
    words = len(clean.split())
    if len(sentences) > 1 and _question_form(sentences[-1]) and _TO_AGENT.search(sentences[-1]):
        body = " ".join(sentences[:-1])
        if len(_clean(body).split()) >= 6:
            return Act("answer", confidence=0.7, source="cue", question=sentences[-1])
    if words > MAX_MEANING_WORDS:
        return Act("answer", confidence=0.7, source="default")
    question = _question_form(sentences[-1] if sentences else clean) and words <= MAX_SHORT_WORDS + 6
    if encoder is None and use_encoder:
        encoder = _default_encoder()
    if encoder is not None:
        act, similarity, margin = _meaning(clean, encoder)
        if act == "question" or (question and act == "answer" and _TO_AGENT.search(clean)):
            if not question:
                return Act("answer", confidence=max(0.5, similarity), source="meaning")
            return Act("question", confidence=similarity, source="meaning")
        if act != "answer" and similarity >= MIN_SIMILARITY and margin >= MIN_MARGIN:
            detail = "ready" if act == "smalltalk" and "ready" in clean.lower() else ""
            return Act(act, detail, similarity, "meaning")
        return Act("answer", confidence=max(0.5, similarity), source="meaning")
    if question and _TO_AGENT.search(clean):
        return Act("question", confidence=0.6, source="cue")
    return Act("answer")


def closest_topic(text: str, topics: dict[str, str], *, min_similarity: float = 0.4,
                  encoder: SentenceEncoder | None = None) -> str | None:
    """The key of `topics` (key -> description) whose description is closest in meaning to `text`,
    or None when none is close enough; by shared content words without the encoder. Blocking."""
    keys = list(topics)
    if not keys:
        return None
    encoder = encoder or _default_encoder()
    if encoder is not None:
        vectors = encoder.encode([*topics.values(), text])
        similarity = vectors[:-1] @ vectors[-1]
        best = int(np.argmax(similarity))
        return keys[best] if similarity[best] >= min_similarity else None
    from tools.text import content_stems

    asked = content_stems(text)
    overlap = {k: len(asked & content_stems(v)) for k, v in topics.items()}
    key = max(keys, key=lambda k: overlap[k])
    return key if overlap[key] else None


if __name__ == "__main__":  # python -m tools.acts: refresh tools/acts_examples.npz
    from tools.semantic.encoder import shared_encoder

    write_example_vectors(shared_encoder())
    print(f"wrote {EXAMPLE_VECTORS}")
