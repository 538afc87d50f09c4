"""The interview's final report (`build_report`, stored and sent in `session.ended`) and the
spoken summary built from it."""

from __future__ import annotations

from collections import Counter
from statistics import fmean
from typing import Any

from graph.state import InterviewState
from graph.workflows.interview import prompts
from graph.workflows.interview.scoring import EVIDENCE_KEYS

REPORTED = (
    "question_index",
    "question_id",
    "question",
    "competency",
    "score",
    "criteria",
    "missing",
    "strengths",
    "improvements",
    "better_phrasing",
    "evaluator",
    "judge",
    "follow_ups",
    "metrics",
)
"""The fields of each evaluation the report keeps."""


def answer_feedback(result: dict[str, Any]) -> dict[str, Any]:
    """The evaluation fields of one scored answer (`scoring.evaluate`'s result): score, criteria,
    missing parts, strengths, improvements, a better phrasing and the evidence behind them."""
    return {
        "score": result.get("score"),
        "criteria": result.get("criteria", {}),
        "missing": result.get("missing", []),
        "strengths": [result["strength"]] if result.get("strength") else [],
        "improvements": [result["improvement"]] if result.get("improvement") else [],
        "better_phrasing": result.get("better_phrasing", ""),
        **{k: result[k] for k in EVIDENCE_KEYS if k in result},
    }


def plural(count: int) -> str:
    return "question" if count == 1 else "questions"


def fluency_summary(metrics: list[dict[str, Any]]) -> dict[str, float]:
    """Averages of the rates and totals of the counts over the answers' fluency metrics."""
    fluency: dict[str, float] = {}
    for key in ("wpm", "pause_ratio", "lexical_diversity", "time_to_first_word_s"):
        values = [float(m[key]) for m in metrics if isinstance(m.get(key), int | float)]
        if values:
            fluency[f"{key}_avg"] = round(fmean(values), 2)
    for key in ("filler_count", "long_pauses", "word_count"):
        values = [float(m[key]) for m in metrics if isinstance(m.get(key), int | float)]
        if values:
            fluency[f"{key}_total"] = sum(values)
    return fluency


def build_report(state: InterviewState, options: dict[str, Any]) -> dict[str, Any]:
    evaluations = sorted(state.get("evaluations", []), key=lambda e: e.get("question_index", 0))
    scores = [float(e["score"]) for e in evaluations if isinstance(e.get("score"), int | float)]
    best = max(evaluations, key=lambda e: e.get("score") or 0, default=None)
    worst = min(evaluations, key=lambda e: e.get("score") or 0, default=None)
    missing = Counter(m for e in evaluations for m in e.get("missing") or [])
    return {
        "workflow": "interview",
        "role": options.get("role"),
        "seniority": options.get("seniority"),
        "question_count": state.get("question_count", 0),
        "answered": len(evaluations),
        "skipped": list(state.get("skipped", [])),
        "questions": [{k: e.get(k) for k in REPORTED} for e in evaluations],
        "average": round(fmean(scores), 1) if scores else None,
        "top_strength": (best.get("strengths") or [None])[0] if best else None,
        "top_improvement": (worst.get("improvements") or [None])[0] if worst else None,
        "most_missing": [m for m, _ in missing.most_common(3)],
        "judge_disagreements": [  # the LLM judge and the embedded evaluator differ by 3+ points
            e.get("question_index") for e in evaluations if (e.get("judge") or {}).get("disagreement")
        ],
        "fluency": fluency_summary([e.get("metrics") or {} for e in evaluations]),
        "previous": state.get("progress"),
    }


def spoken_summary(report: dict[str, Any]) -> str:
    """What the interviewer says before closing: answered count, average, a strength, an improvement."""
    if report["average"] is None:
        return prompts.SUMMARY_NO_ANSWERS
    parts = [
        prompts.SUMMARY.format(
            answered=report["answered"], question_word=plural(report["answered"]), average=report["average"]
        )
    ]
    if report["top_strength"]:
        parts.append(prompts.SUMMARY_STRENGTH.format(strength=report["top_strength"]))
    if report["top_improvement"]:
        parts.append(prompts.SUMMARY_IMPROVEMENT.format(improvement=report["top_improvement"]))
    return " ".join(parts)
