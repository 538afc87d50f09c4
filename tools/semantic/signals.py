"""What an answer says, by meaning: `analyse(question=..., answer=..., encoder=...) -> Analysis`.

Every answer sentence is embedded once (all-MiniLM-L6-v2, `tools.semantic.encoder`) and compared with
the question, its reference points, its misconceptions (each against its correction), generic filler
prototypes and, when given, the other questions of the bank (to tell an answer to a different one).
One encoder call per answer; the question's own texts come from the encoder's cache after the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tools.semantic.encoder import Encoder
from tools.semantic.index import QuestionIndex
from tools.semantic.prototypes import ACTION, GENERIC, RESULT, SITUATION
from tools.text import sentences, words

COVERED = 0.50
"""A reference point is covered when some answer sentence is at least this similar to it."""
MISCONCEPTION = 0.55
MISCONCEPTION_MARGIN = 0.05
FLAGGED_MARGIN = 0.15
"""A sentence states a misconception when it is this similar to the claim, and closer to the claim
than to its correction by this margin (embeddings barely see negation; the pair makes up for it)."""
GENERIC_SIM = 0.45
ON_TOPIC_SIM = 0.3
"""A sentence (or a clause of a long answer) is on topic at this similarity to the question or a point."""
REPEAT_SIM = 0.86
OFF_TOPIC = 0.15
OFF_TOPIC_RANK = 0.05
OFF_TOPIC_GAP_TECHNICAL = 0.10
OFF_TOPIC_GAP_STORY = 0.24
"""Off-topic: the answer fits more than OFF_TOPIC_RANK (a share) of the other bank questions better than the
one asked, the best by the gap. A story's fit to its question is weaker (a concrete story is far from
an abstract question in embedding space), so stories need a larger gap."""


@dataclass(slots=True)
class Point:
    text: str
    similarity: float
    quote: str

    @property
    def covered(self) -> bool:
        return self.similarity >= COVERED


@dataclass(slots=True)
class Misconception:
    claim: str
    correction: str
    quote: str
    similarity: float
    margin: float


@dataclass(slots=True)
class Analysis:
    sentences: list[str] = field(default_factory=list)
    relevance: float = 0.0
    """How much the whole answer is about the question and its reference points (cosine, ~0..0.8)."""
    sentence_relevance: list[float] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    coverage: float = 0.0
    """Soft share of the reference points covered, 0..1."""
    misconception: Misconception | None = None
    severity: float = 0.0
    """How strongly some sentence states a misconception, 0..1 (graded, below the flag too)."""
    rank: float = 0.0
    gap: float = 0.0
    """How much better the best-fitting other bank question fits the answer than the one asked."""
    """Share of the other bank questions the answer fits better than the one asked (0 = best fit)."""
    generic: list[bool] = field(default_factory=list)
    repeats: list[bool] = field(default_factory=list)
    roles: list[str | None] = field(default_factory=list)
    """Per sentence, the story part it plays by meaning (situation / action / result), None for
    generic or unclear sentences."""
    clause_on_topic: float = 1.0
    """Word-weighted share of the clauses (split at commas) that are about the question or a point,
    for long answers (LONG_ANSWER words and more): catches asides told inside on-topic sentences."""
    off_topic: bool = False
    closer_question: tuple[str, float] | None = None
    """Another question the answer fits better (text, similarity), when one was given and it does."""

    @property
    def generic_share(self) -> float:
        return sum(self.generic) / len(self.generic) if self.generic else 0.0

    @property
    def on_topic_share(self) -> float:
        if not self.sentence_relevance:
            return 0.0
        return sum(r >= ON_TOPIC_SIM for r in self.sentence_relevance) / len(self.sentence_relevance)

    @property
    def repeat_share(self) -> float:
        return sum(self.repeats) / len(self.repeats) if self.repeats else 0.0


def answer_sentences(answer: str) -> list[str]:
    """Sentences of a spoken answer; fragments under four words join the sentence before them."""
    out: list[str] = []
    for sentence in sentences(answer):
        if out and len(words(sentence)) < 4:
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    if len(out) > 1 and len(words(out[0])) < 4:
        out[1] = f"{out[0]} {out[1]}"
        out.pop(0)
    return out


def reference_points(question: Mapping[str, Any]) -> list[str]:
    points = question.get("reference_points") or question.get("key_points") or []
    return [str(p).strip() for p in points if isinstance(p, str) and p.strip()]


def misconceptions(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for item in question.get("misconceptions") or []:
        if isinstance(item, Mapping) and item.get("claim") and item.get("correction"):
            out.append((str(item["claim"]), str(item["correction"])))
    return out


_PARTS = ("situation", "action", "result")
_STAR = (*SITUATION, *ACTION, *RESULT)
ROLE_SIM = 0.35

_ABSOLUTE = re.compile(
    r"\b(always|never|every(?: single)?|no downside|nothing else|guarantee[sd]?|exactly|completely|proves?n?|"
    r"must be|no need|don't need|do not need|automatically|immediately|all the|any problem|only because|"
    r"can only|safely|forever|everything|totally|100 percent)\b", re.IGNORECASE)


LONG_ANSWER = 80
"""Answers past this many words get the clause-level on-topic share (their rambling is penalised)."""
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[-\u2013\u2014]\s|(?<=[.?!])\s")


def answer_clauses(answer: str) -> list[str]:
    """Clauses of a long answer (three words and more), split at commas, semicolons, dashes, stops."""
    return [c.strip() for c in _CLAUSE_BREAK.split(answer) if len(words(c)) >= 3]


def analyse(*, question: Mapping[str, Any], answer: str, encoder: Encoder,
            index: QuestionIndex | None = None) -> Analysis:
    parts = answer_sentences(answer)
    if not parts:
        return Analysis()
    q_text = str(question.get("text") or question.get("competency") or "")
    refs = reference_points(question)
    pairs = misconceptions(question)
    clauses = answer_clauses(answer) if len(words(answer)) >= LONG_ANSWER else []
    texts = [*parts, q_text, *refs, *(c for c, _ in pairs), *(r for _, r in pairs), *GENERIC, *_STAR]
    vectors = encoder.encode([*texts, *clauses])
    vectors, clause_vecs = vectors[: len(texts)], vectors[len(texts) :]
    n, r, m = len(parts), len(refs), len(pairs)
    sent, q_vec = vectors[:n], vectors[n]
    ref_vecs = vectors[n + 1 : n + 1 + r]
    claim_vecs = vectors[n + 1 + r : n + 1 + r + m]
    fix_vecs = vectors[n + 1 + r + m : n + 1 + r + 2 * m]
    generic_vecs = vectors[n + 1 + r + 2 * m : n + 1 + r + 2 * m + len(GENERIC)]
    star_vecs = vectors[n + 1 + r + 2 * m + len(GENERIC) :]

    weights = np.array([max(1, len(words(p))) for p in parts], dtype=np.float32)
    whole = (sent * weights[:, None]).sum(axis=0)
    whole /= max(float(np.linalg.norm(whole)), 1e-9)

    to_question = sent @ q_vec
    to_refs = sent @ ref_vecs.T if r else np.zeros((n, 0), dtype=np.float32)
    ref_best = to_refs.max(axis=1) if r else to_question
    sentence_relevance = np.maximum(to_question, ref_best)
    point_fit = float(to_refs.max(axis=0).mean()) if r else float(whole @ q_vec)
    relevance = 0.4 * float(whole @ q_vec) + 0.6 * point_fit

    points = [Point(text=refs[j], similarity=float(to_refs[:, j].max()),
                    quote=parts[int(to_refs[:, j].argmax())]) for j in range(r)]
    coverage = float(np.mean([np.clip((p.similarity - 0.25) / 0.35, 0.0, 1.0) for p in points])) \
        if points else 0.0

    found, severity = _misconception(parts, sent, pairs, claim_vecs, fix_vecs)
    to_generic = (sent @ generic_vecs.T).max(axis=1)
    generic = [bool(g >= GENERIC_SIM and g > rb) for g, rb in zip(to_generic, ref_best, strict=True)]
    to_star = sent @ star_vecs.T  # [n, 9]: three prototypes per part
    part_sims = to_star.reshape(n, 3, -1).max(axis=2)
    roles = [None if g or float(part_sims[i].max()) < ROLE_SIM else _PARTS[int(part_sims[i].argmax())]
             for i, g in enumerate(generic)]
    clause_on_topic = _clause_share(clauses, clause_vecs, q_vec, ref_vecs)
    gram = sent @ sent.T
    repeats = [bool(i > 0 and gram[i, :i].max() >= REPEAT_SIM) for i in range(n)]

    rank, gap, closer = 0.0, 0.0, None
    if index is not None and len(index.questions) > 1:
        fits = index.fits(sent, whole)
        own = index.position(question)
        others = [q for i, q in enumerate(index.questions) if i != own]
        if own is not None:
            fits = np.delete(fits, own)
        rank = int((fits > relevance).sum()) / len(fits)
        best = int(np.argmax(fits))
        gap = max(0.0, float(fits[best]) - relevance)
        if gap > 0:
            closer = (str(others[best].get("text", "")), float(fits[best]))
    technical = str(question.get("kind", "")).lower() == "technical"
    off_topic = relevance < (OFF_TOPIC if technical else OFF_TOPIC / 2) or (
        gap >= (OFF_TOPIC_GAP_TECHNICAL if technical else OFF_TOPIC_GAP_STORY) and rank > OFF_TOPIC_RANK)
    return Analysis(sentences=parts, relevance=relevance, rank=rank, gap=gap,
                    sentence_relevance=[float(x) for x in sentence_relevance], points=points,
                    coverage=coverage, misconception=found, severity=severity, generic=generic,
                    repeats=repeats, roles=roles, off_topic=off_topic, closer_question=closer,
                    clause_on_topic=clause_on_topic)


def _clause_share(clauses: list[str], vecs: np.ndarray, q_vec: np.ndarray, ref_vecs: np.ndarray) -> float:
    """Word-weighted share of clauses as close to the question or a point as an on-topic sentence."""
    if not clauses:
        return 1.0
    relevance = vecs @ q_vec
    if len(ref_vecs):
        relevance = np.maximum(relevance, (vecs @ ref_vecs.T).max(axis=1))
    weights = np.array([len(words(c)) for c in clauses], dtype=np.float32)
    return float((weights * (relevance >= ON_TOPIC_SIM)).sum() / weights.sum())


def _misconception(parts: list[str], sent: np.ndarray, pairs: list[tuple[str, str]],
                   claim_vecs: np.ndarray, fix_vecs: np.ndarray) -> tuple[Misconception | None, float]:
    """The sentence that most states a misconception: close to the claim, closer to it than to the
    correction, an overclaim word ("always", "no downside") adding weight. Returns it (or None when
    below the bar) and its severity (0 = none)."""
    best: Misconception | None = None
    for k, (claim, correction) in enumerate(pairs):
        to_claim, to_fix = sent @ claim_vecs[k], sent @ fix_vecs[k]
        for i, part in enumerate(parts):
            if to_claim[i] < MISCONCEPTION:
                continue
            margin = float(to_claim[i] - to_fix[i]) + (0.06 if _ABSOLUTE.search(part) else 0.0)
            if best is None or margin > best.margin:
                best = Misconception(claim=claim, correction=correction, quote=part,
                                     similarity=float(to_claim[i]), margin=margin)
    if best is None or best.margin < MISCONCEPTION_MARGIN:
        return None, 0.0
    severity = min(1.0, (best.margin - MISCONCEPTION_MARGIN) / 0.25)
    return (best if best.margin >= FLAGGED_MARGIN else None), severity
