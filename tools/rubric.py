"""Deterministic interview-answer scoring: `score_answer(question=..., answer=..., fluency=...)`.

The local model is too weak to grade answers, so the grade comes from cues an interviewer listens
for (see `tools.cues`): the STAR parts of a behavioural story, concrete details and numbers, overlap
with the question's key points, structure, and the delivery measured by `graph.fluency`.

Criteria (each an int 1..10):
  behavioural: situation, task, action, result, specificity, measurable_outcome, relevance,
               structure, fluency (only when a fluency dict is given)
  technical:   depth, example, relevance, clarity, fluency (only when given)
The overall score is their weighted mean (one decimal), capped for very short or off-topic answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.concepts import concept_stems
from tools.cues import TECH_TERMS, Cues, find_cues
from tools.feedback import FeedbackContext, better_phrasing, improvement, strength
from tools.text import STOPWORDS, clip, words
from tools.wordlists import A2_CORE, B1, is_known

BEHAVIOURAL_WEIGHTS = {
    "situation": 1.0, "task": 1.0, "action": 1.5, "result": 1.5, "specificity": 1.0,
    "measurable_outcome": 1.0, "relevance": 1.5, "structure": 1.0, "fluency": 0.5,
}
TECHNICAL_WEIGHTS = {"depth": 2.5, "example": 1.5, "relevance": 1.5, "clarity": 1.0, "fluency": 0.5}
MISSING_ORDER = ("situation", "task", "action", "result", "example", "metric", "depth")
_KNOWN = A2_CORE | B1 | STOPWORDS | TECH_TERMS


def score_answer(*, question: Mapping[str, Any], answer: str,
                 fluency: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Score one interview answer; see the module docstring. Never raises on odd input."""
    answer = answer if isinstance(answer, str) else ""
    question = question if isinstance(question, Mapping) else {}
    technical = is_technical(question)
    cues = find_cues(answer)
    coverage, covered, uncovered = key_point_coverage(question, answer, cues)
    relevance = relevance_score(question, answer, coverage)
    if technical:
        criteria = technical_criteria(cues, coverage, relevance, bool(_key_points(question)))
        weights = TECHNICAL_WEIGHTS
    else:
        criteria = behavioural_criteria(cues, relevance)
        weights = BEHAVIOURAL_WEIGHTS
    if fluency:
        criteria["fluency"] = fluency_score(fluency)
    if is_nonsense(answer):
        criteria = dict.fromkeys(criteria, 1)
    score = min(weighted_mean(criteria, weights), length_cap(cues.word_count, technical))
    if relevance <= 2 and cues.word_count >= 8:
        score = min(score, 4.5)
    missing = missing_parts(criteria, cues, technical)
    context: FeedbackContext = {"question": question, "answer": answer, "cues": cues, "criteria": criteria,
               "missing": missing, "technical": technical, "covered": covered, "uncovered": uncovered}
    return graded(score, criteria, missing, strength=strength(context), improvement=improvement(context),
                  better_phrasing=better_phrasing(context))


def is_technical(question: Mapping[str, Any]) -> bool:
    return str(question.get("kind", "behavioural")).lower() == "technical"


def weighted_mean(criteria: Mapping[str, int], weights: Mapping[str, float]) -> float:
    """The overall score before caps: the criteria graded, weighted."""
    return sum(weights[k] * v for k, v in criteria.items()) / sum(weights[k] for k in criteria)


def graded(score: float, criteria: dict[str, int], missing: list[str], *, strength: str, improvement: str,
           better_phrasing: str) -> dict[str, Any]:
    """The result every scorer returns (the semantic evaluator adds its evidence to it)."""
    return {"score": round(clip(score), 1), "criteria": criteria, "missing": missing, "strength": strength,
            "improvement": improvement, "better_phrasing": better_phrasing}


def order_points(cues: Cues, *, technical: bool) -> int:
    """Structure heard in the telling: a point for linking words, one for a behavioural story told in
    STAR order."""
    pos = cues.positions
    star_order = not technical and {"situation", "action", "result"} <= pos.keys() \
        and pos["situation"] <= pos["action"] <= pos["result"]
    return int(len(cues.connectors) >= 2) + int(star_order)


# --------------------------------------------------------------------------- criteria


def _steps(count: int, table: tuple[int, ...]) -> int:
    """table[i] is the score for i hits; the last entry holds for more."""
    return table[min(count, len(table) - 1)]


def behavioural_criteria(cues: Cues, relevance: int) -> dict[str, int]:
    action = _steps(len(cues.actions), (2, 5, 7, 8, 9)) + (1 if cues.decision else 0)
    if not cues.actions:
        action += min(2, len(cues.we_actions))
    result = _steps(len(cues.results), (2, 6, 8, 9)) + (1 if cues.metrics else 0)
    specifics = (min(3, cues.numbers) + len(cues.proper_nouns[:3]) + len(cues.time_refs[:2])
                 + len(cues.tech_terms[:2]))
    return {
        "situation": _steps(len(cues.situation), (2, 7, 9, 10)),
        "task": _steps(len(cues.task), (2, 7, 9)),
        "action": int(clip(action)),
        "result": int(clip(result)),
        "specificity": _steps(specifics, (2, 4, 6, 7, 8, 9, 10)),
        "measurable_outcome": _steps(len(cues.metrics), (2, 7, 9, 10)) if cues.metrics
        else (3 if cues.results else 1),
        "relevance": relevance,
        "structure": structure_score(cues, technical=False),
    }


def technical_criteria(cues: Cues, coverage: float, relevance: int, has_key_points: bool) -> dict[str, int]:
    breadth = coverage if has_key_points else min(1.0, len(cues.tech_terms) / 6)
    depth = (1 + 5 * breadth + min(2.0, 0.4 * len(cues.tech_terms)) + min(2.0, 0.7 * len(cues.tradeoffs)))
    example = _steps(len(cues.examples), (2, 6, 8, 9))
    if cues.examples and (cues.numbers or cues.proper_nouns):
        example += 1
    return {
        "depth": round(clip(depth)),
        "example": int(clip(example)),
        "relevance": relevance,
        "clarity": structure_score(cues, technical=True),
    }


def structure_score(cues: Cues, *, technical: bool) -> int:
    n = cues.word_count
    bands = ((12, 2), (30, 4), (60, 6), (350, 8), (600, 7)) if not technical else \
        ((10, 2), (25, 4), (45, 6), (300, 8), (600, 7))
    value = 5
    for limit, band_score in bands:
        if n < limit:
            value = band_score
            break
    if n < 10:
        return max(1, value - 1)
    value += order_points(cues, technical=technical)
    if n >= 50 and cues.unique_ratio < 0.25:
        value -= 4  # the same few words over and over
    per_sentence = n / max(1, len(cues.sentences))
    if per_sentence > 45:
        value -= 1
    return int(clip(value))


def fluency_score(fluency: Mapping[str, Any]) -> int:
    """Delivery from `graph.fluency.fluency_metrics`: fillers per 100 words, pace, long pauses."""
    try:
        per_100 = float(fluency.get("fillers_per_100_words") or 0.0)
    except (TypeError, ValueError):
        per_100 = 0.0
    value = 10 if per_100 <= 2 else 8 if per_100 <= 5 else 6 if per_100 <= 8 else 4 if per_100 <= 12 else 2
    wpm = fluency.get("wpm")
    if isinstance(wpm, int | float) and wpm > 0:
        if wpm < 90 or wpm > 200:
            value -= 2
        elif wpm < 110 or wpm > 170:
            value -= 1
    long_pauses = fluency.get("long_pauses")
    if isinstance(long_pauses, int) and long_pauses > 0:
        value -= min(3, long_pauses)
    return int(clip(value))


def _key_points(question: Mapping[str, Any]) -> list[str]:
    points = question.get("key_points") or []
    return [str(p) for p in points if isinstance(p, str | int | float) and str(p).strip()]


_ABSTRACT_POINTS = {
    # key-point words that name a part of the answer rather than its content
    "outcom": "results", "result": "results", "impact": "results", "learn": "results", "lesson": "results",
    "metric": "metrics", "measur": "metrics", "measurabl": "metrics", "number": "metrics",
    "quantif": "metrics",
    "exampl": "examples", "trade-off": "tradeoffs", "tradeoff": "tradeoffs", "trad": "tradeoffs",
    "decid": "actions", "decision": "actions", "action": "actions", "step": "actions",
    "context": "situation", "situation": "situation", "goal": "task", "responsibility": "task",
}


def key_point_coverage(question: Mapping[str, Any], answer: str,
                       cues: Cues | None = None) -> tuple[float, list[str], list[str]]:
    """Share of key points the answer touches (a point counts when half its content words appear;
    a point like "measurable outcome" also counts when the answer has that part)."""
    points = _key_points(question)
    said = concept_stems(answer)
    if cues is not None:
        said |= {word for word, part in _ABSTRACT_POINTS.items() if getattr(cues, part)}
    covered, uncovered = [], []
    for point in points:
        need = concept_stems(point)
        if need and len(need & said) >= max(1, (len(need) + 1) // 2):
            covered.append(point)
        else:
            uncovered.append(point)
    return (len(covered) / len(points) if points else 0.0), covered, uncovered


def relevance_score(question: Mapping[str, Any], answer: str, coverage: float) -> int:
    q_stems = concept_stems(f"{question.get('text', '')} {question.get('competency', '')}")
    said = concept_stems(answer)
    overlap = len(q_stems & said) / len(q_stems) if q_stems else 0.0
    if _key_points(question):
        value = 2 + 8 * (0.7 * coverage + 0.3 * min(1.0, overlap * 1.5))
    else:
        value = 2 + 8 * min(1.0, overlap * 1.5)
    if not said:
        value = 1
    return round(clip(value))


def length_cap(word_count: int, technical: bool) -> float:
    if word_count < 8:
        return 2.0
    if word_count < 20:
        return 4.0
    if word_count < (30 if technical else 40):
        return 6.5
    return 10.0


def is_nonsense(answer: str) -> bool:
    """True when almost nothing in the answer is an English word (keyboard mash, noise)."""
    tokens = [w for w in words(answer) if w.isalpha()]
    if not tokens:
        return True
    known = sum(1 for w in tokens if is_known(w, _KNOWN))
    return known / len(tokens) < 0.3


def missing_parts(criteria: Mapping[str, int], cues: Cues, technical: bool) -> list[str]:
    gaps: set[str] = set()
    if technical:
        if criteria["depth"] < 5:
            gaps.add("depth")
        if criteria["example"] < 5:
            gaps.add("example")
    else:
        for part in ("situation", "task", "action", "result"):
            if criteria[part] < 5:
                gaps.add(part)
        if criteria["specificity"] < 5:
            gaps.add("example")
        if criteria["measurable_outcome"] < 5:
            gaps.add("metric")
        if cues.word_count < 40 or len(cues.actions) + len(cues.we_actions) < 2:
            gaps.add("depth")
    return [m for m in MISSING_ORDER if m in gaps]
