"""Progress of one learner across sessions of one workflow."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.models import Evaluation, Session

WEAK_SCORE = 5
"""A criterion scored at or below this (on 1-10) counts as a weakness."""


def get_progress(
    *, db: Database, learner: str, workflow: str, limit: int = 10, exclude_thread_id: str | None = None
) -> dict[str, Any]:
    """Over the learner's `limit` most recent sessions of `workflow` (but `exclude_thread_id`):

    `{"sessions": int, "recent_scores": [float] (oldest first), "average": float | None,
      "weaknesses": [{"criterion": str, "count": int}] (most frequent first)}`
    """
    recent = (
        select(Session.thread_id)
        .where(Session.learner == learner, Session.workflow == workflow)
        .where(Session.thread_id != (exclude_thread_id or ""))
        .order_by(Session.created_at.desc(), Session.thread_id)
        .limit(limit)
    )
    with db.session() as s:
        thread_ids = list(s.scalars(recent))
        rows = s.execute(
            select(Evaluation.score, Evaluation.payload)
            .where(Evaluation.thread_id.in_(thread_ids))
            .order_by(Evaluation.created_at, Evaluation.id)
        ).all()
    scores = [float(score) for score, _ in rows if score is not None]
    weak: Counter[str] = Counter()
    for _, payload in rows:
        criteria = payload.get("criteria") if isinstance(payload, dict) else None
        if not isinstance(criteria, dict):
            continue
        for name, value in criteria.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and value <= WEAK_SCORE:
                weak[str(name)] += 1
    return {
        "sessions": len(thread_ids),
        "recent_scores": scores,
        "average": round(sum(scores) / len(scores), 2) if scores else None,
        "weaknesses": [
            {"criterion": name, "count": count}
            for name, count in sorted(weak.items(), key=lambda item: (-item[1], item[0]))
        ],
    }
