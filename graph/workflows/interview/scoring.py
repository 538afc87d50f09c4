"""Scoring an answer: tools.rubric.score_answer (owned by the tools package).

Until tools.rubric lands, a small stand-in with the same signature and result shape is used.
"""

from __future__ import annotations

import re
from typing import Any

try:  # pragma: no cover - depends on the tools package being present
    from tools.rubric import score_answer
except ImportError:  # pragma: no cover
    _STAR = {
        "situation": r"\b(when|while|at my|in my|situation|project|team|company|last year)\b",
        "task": r"\b(task|goal|responsib|needed to|had to|my job)\b",
        "action": r"\b(i (built|wrote|led|decided|added|changed|talked|created|designed|used|did))\b",
        "result": r"\b(result|outcome|so that|which led|reduced|improved|increased|saved)\b",
        "metric": r"\d|\bpercent\b",
        "example": r"\b(for example|for instance|once|one time|e\.g\.)\b",
    }

    def score_answer(*, question: dict, answer: str, fluency: dict | None = None) -> dict:  # type: ignore[misc]
        text = answer.lower()
        words = len(text.split())
        missing = [k for k, pattern in _STAR.items() if not re.search(pattern, text)]
        if question.get("kind") == "technical":
            missing = [m for m in missing if m in ("example", "metric")]
            if words < 40:
                missing.append("depth")
        covered = sum(1 for p in question.get("key_points", []) if any(w in text for w in p.lower().split()))
        content = min(10, 2 + covered * 2 + words // 25)
        structure = max(1, 10 - 2 * len(missing))
        score = round((content + structure) / 2, 1)
        return {
            "score": max(1.0, min(10.0, score)),
            "criteria": {"content": content, "structure": structure},
            "missing": missing,
            "strength": "You answered the question directly." if words > 15 else "You kept it short.",
            "improvement": f"Add the {missing[0]}." if missing else "Keep this structure.",
            "better_phrasing": "",
        }


def evaluate(*, question: dict[str, Any], answer: str, fluency: dict[str, Any] | None) -> dict[str, Any]:
    return score_answer(question=question, answer=answer, fluency=fluency)
