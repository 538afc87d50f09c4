"""The embedded evaluator: an interview answer graded by meaning, with evidence.

    evaluate(question=..., answer=..., fluency=None, contrast=()) -> dict

The brain is `tools.semantic.signals.analyse` (sentence embeddings against the question, its
reference points and misconceptions, generic filler, and other questions); the cues of `tools.cues`
(STAR parts, numbers, first-person actions) stay as features and guard-rails. Without the encoder
(package missing) the rule scorer `tools.rubric.score_answer` answers alone, marked "rules".

The result has the rule scorer's shape (score, criteria, missing, strength, improvement,
better_phrasing) plus `evaluator`, `relevance`, `off_topic`, `points` (covered / missed reference
points with the quoted sentence), `misconception` (claim, correction, quote) and `evidence`
(per criterion: quotes from the answer and a note).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from tools.cues import Cues, find_cues
from tools.rubric import (
    BEHAVIOURAL_WEIGHTS,
    TECHNICAL_WEIGHTS,
    graded,
    is_nonsense,
    is_technical,
    order_points,
    score_answer,
    weighted_mean,
)
from tools.semantic.encoder import Encoder, EncoderUnavailable, shared_encoder
from tools.semantic.feedback import improvement, strength
from tools.semantic.index import QuestionIndex
from tools.semantic.phrasing import better_phrasing
from tools.semantic.signals import Analysis, analyse
from tools.text import FILLER, clip

log = logging.getLogger(__name__)

WEIGHTS_BEHAVIOURAL = {**BEHAVIOURAL_WEIGHTS, "relevance": 2.5, "specificity": 1.5}
WEIGHTS_TECHNICAL = {**TECHNICAL_WEIGHTS, "accuracy": 2.0, "depth": 2.5, "relevance": 2.0}


def _encoder() -> Encoder | None:
    try:
        return shared_encoder()
    except EncoderUnavailable as exc:
        log.warning("semantic evaluator unavailable, using the rules: %s", exc)
        return None


def evaluate(*, question: Mapping[str, Any], answer: str, fluency: Mapping[str, Any] | None = None,
             index: QuestionIndex | None = None, encoder: Encoder | None = None) -> dict[str, Any]:
    """Grade one answer (blocking: run it in a worker thread). Never raises on odd input."""
    answer = answer if isinstance(answer, str) else ""
    question = question if isinstance(question, Mapping) else {}
    rules = score_answer(question=question, answer=answer, fluency=fluency)
    encoder = encoder or _encoder()
    if encoder is None or not answer.strip() or is_nonsense(answer):
        return {**rules, "evaluator": "rules", "evidence": {}, "points": {"covered": [], "missed": []},
                "misconception": None, "relevance": None, "off_topic": False}
    technical = is_technical(question)
    cues = find_cues(answer)
    found = analyse(question=question, answer=answer, encoder=encoder, index=index)
    ramble = _rambling(cues, found, answer)
    criteria = _criteria(rules["criteria"], cues, found, technical, ramble)
    weights = WEIGHTS_TECHNICAL if technical else WEIGHTS_BEHAVIOURAL
    score = _capped(weighted_mean(criteria, weights), cues, found, technical, ramble)
    missing = _missing(rules["missing"], criteria, found, technical)
    context = {"question": question, "answer": answer, "cues": cues, "analysis": found, "criteria": criteria,
               "missing": missing, "technical": technical}
    phrasing = better_phrasing(answer, technical=technical, missing=missing, off_topic=found.off_topic)
    return {
        **graded(score, criteria, missing, strength=strength(context), improvement=improvement(context),
                 better_phrasing=phrasing),
        "evaluator": "semantic",
        "relevance": round(found.relevance, 3),
        "off_topic": found.off_topic,
        "points": {
            "covered": [{"point": p.text, "quote": p.quote, "similarity": round(p.similarity, 3)}
                        for p in found.points if p.covered],
            "missed": [p.text for p in found.points if not p.covered],
        },
        "misconception": None if found.misconception is None else {
            "claim": found.misconception.claim, "correction": found.misconception.correction,
            "quote": found.misconception.quote},
        "evidence": _evidence(criteria, cues, found, technical),
    }


def _scale(value: float, low: float, high: float) -> int:
    """Map value in [low, high] linearly onto 1..10."""
    return round(clip(1 + 9 * (value - low) / (high - low)))




def _rambling(cues: Cues, found: Analysis, answer: str) -> float:
    """0..4 points for length without content: sprawl past ~110 words, fillers and hedges,
    sentences or clauses (asides) off the question, repeats."""
    words = max(1, cues.word_count)
    fillers = len(FILLER.findall(answer)) * 100 / words
    penalty = clip((words - 110) / 40, 0.0, 1.5)
    if words > 80:
        on_topic = min(found.on_topic_share, found.clause_on_topic)
        penalty += clip((fillers - 3) / 3, 0.0, 1.5) + clip((0.9 - on_topic) * 3, 0.0, 1.0)
    penalty += 2 * found.repeat_share
    return min(4.0, penalty)


def _structure(cues: Cues, technical: bool) -> int:
    value = 7.0 if cues.word_count >= 25 else 5.0 if cues.word_count >= 12 else 3.0
    return round(value + order_points(cues, technical=technical))


def _criteria(rule: Mapping[str, int], cues: Cues, found: Analysis, technical: bool,
              ramble: float) -> dict[str, int]:
    criteria = dict(rule)
    offness = clip((found.gap - 0.08) / 0.2, 0.0, 1.0)
    if technical:
        fit = 0.6 * _scale(found.relevance, 0.15, 0.55) + 0.4 * (1 + 9 * found.coverage)
    else:
        fit = 0.7 * (9 - 8 * offness) + 0.3 * (1 + 9 * found.coverage)
    criteria["relevance"] = round(clip(fit))
    if found.off_topic:
        criteria["relevance"] = min(criteria["relevance"], 2)
    generic = found.generic_share
    structure = _structure(cues, technical) - ramble
    if technical:
        depth = 1 + 7 * found.coverage + min(2.0, 0.7 * len(cues.tradeoffs))
        criteria["depth"] = round(clip(depth - 3 * generic))
        criteria["accuracy"] = round(clip(4 + 6 * found.coverage - 8 * found.severity))
        if found.misconception:
            criteria["accuracy"] = min(criteria["accuracy"], 3)
            criteria["depth"] = min(criteria["depth"], 5)
        criteria["clarity"] = round(clip(structure))
    else:
        for part in ("situation", "action", "result"):  # a part told by meaning counts too
            if part in found.roles:
                criteria[part] = max(criteria[part], 6)
        for part, hits in (("situation", cues.situation), ("task", cues.task), ("result", cues.results)):
            if hits and not _told_concretely(found, hits):  # only labels in generic sentences
                criteria[part] = min(criteria[part], 3)
        criteria["specificity"] = round(clip(criteria["specificity"] * (1 - 0.7 * generic)))
        if generic >= 0.5:
            criteria["measurable_outcome"] = min(criteria["measurable_outcome"], 3)
            criteria["action"] = min(criteria["action"], 4)
        criteria["structure"] = round(clip(structure))
    return {k: int(v) for k, v in criteria.items()}


def _capped(score: float, cues: Cues, found: Analysis, technical: bool, ramble: float) -> float:
    score -= 0.5 * ramble
    if not technical:
        score -= 1.5 * clip((found.gap - 0.08) / 0.2, 0.0, 1.0)
    if found.off_topic:
        score = min(score, 3.0)
    if found.misconception is not None:
        score = min(score, 4.5 + 1.5 * (1 - found.severity))
    if found.generic_share >= 0.5 and found.coverage < 0.5:
        score = min(score, 4.5)
    if cues.word_count < 8:
        score = min(score, 2.0)
    elif cues.word_count < 20:
        score = min(score, 4.0)
    elif cues.word_count < 30:
        score = min(score, 6.5)
    return score


def _missing(rule_missing: list[str], criteria: Mapping[str, int], found: Analysis,
             technical: bool) -> list[str]:
    missing = list(rule_missing)
    if technical and criteria["depth"] < 5 and "depth" not in missing:
        missing.append("depth")
    if found.generic_share >= 0.5 and "example" not in missing:
        missing.append("example")
    order = ("situation", "task", "action", "result", "example", "metric", "depth")
    return [m for m in order if m in missing]


def _evidence(criteria: Mapping[str, int], cues: Cues, found: Analysis, technical: bool) -> dict[str, Any]:
    generic = [s for s, g in zip(found.sentences, found.generic, strict=True) if g]
    relevant = sorted(zip(found.sentence_relevance, found.sentences, strict=True), reverse=True)
    evidence: dict[str, Any] = {
        "relevance": {"quotes": [s for _, s in relevant[:1]],
                      "note": ("answers a different question" + (f": {found.closer_question[0]}"
                                                                  if found.closer_question else ""))
                      if found.off_topic else f"similarity to the question {found.relevance:.2f}"},
    }
    covered = [p for p in found.points if p.covered]
    coverage_note = f"{len(covered)} of {len(found.points)} reference points covered"
    if technical:
        evidence["depth"] = {"quotes": [p.quote for p in covered][:3], "note": coverage_note}
        evidence["accuracy"] = ({"quotes": [found.misconception.quote],
                                 "note": f"misconception: {found.misconception.claim}"}
                                if found.misconception else {"quotes": [], "note": "no misconception found"})
    else:
        evidence["specificity"] = {"quotes": generic[:2], "note": f"{len(generic)} generic sentence(s)"
                                   if generic else coverage_note}
        actions = [f"i {a}" for a in cues.actions]
        for part, hits in (("situation", cues.situation), ("task", cues.task), ("result", cues.results),
                           ("measurable_outcome", cues.metrics), ("action", actions)):
            quotes = _quotes(found.sentences, hits) or [
                s for s, role in zip(found.sentences, found.roles, strict=True) if role == part][:2]
            evidence[part] = {"quotes": quotes, "note": "" if quotes else "not found"}
    if found.repeats and any(found.repeats):
        evidence["structure" if not technical else "clarity"] = {
            "quotes": [s for s, r in zip(found.sentences, found.repeats, strict=True) if r][:2],
            "note": "repeats an earlier sentence"}
    return evidence


def _told_concretely(found: Analysis, hits: Sequence[str]) -> bool:
    """Whether some cue hit sits in a sentence that is not generic filler."""
    concrete = [s.lower().replace(",", " ") for s, g in zip(found.sentences, found.generic, strict=True)
                if not g]
    return any(hit.lower().strip() in sentence for hit in hits for sentence in concrete)


def _quotes(sentences: list[str], hits: Sequence[str]) -> list[str]:
    out = []
    for hit in hits:
        needle = hit.lower().strip()
        sentence = next((s for s in sentences if needle and needle in s.lower().replace(",", " ")), None)
        if sentence and sentence not in out:
            out.append(sentence)
    return out[:2]
