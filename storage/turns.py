"""Turns (what was said, and what of it was heard) and their latency waterfall."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from storage.database import Database
from storage.models import Session, Turn, TurnMetrics, utcnow
from storage.rows import columns

ROLES = ("user", "agent")


def add_turn(
    *,
    db: Database,
    thread_id: str,
    turn_id: str,
    role: str,
    text: str,
    heard_text: str | None = None,
    interrupted: bool = False,
    fluency: dict[str, Any] | None = None,
) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    now = utcnow()
    with db.session() as s:
        s.add(
            Turn(
                thread_id=thread_id,
                turn_id=turn_id,
                role=role,
                text=text,
                heard_text=heard_text,
                interrupted=interrupted,
                fluency=fluency,
                created_at=now,
            )
        )
        s.execute(update(Session).where(Session.thread_id == thread_id).values(updated_at=now))


def set_turn_metrics(*, db: Database, thread_id: str, turn_id: str, metrics: dict[str, Any]) -> None:
    """Store the turn's `turn.metrics` waterfall; a second call merges into the first."""
    with db.session() as s:
        row = s.get(TurnMetrics, (thread_id, turn_id))
        if row is None:
            s.add(
                TurnMetrics(thread_id=thread_id, turn_id=turn_id, metrics=dict(metrics), created_at=utcnow())
            )
        else:
            row.metrics = {**row.metrics, **metrics}


def list_turns(*, db: Database, thread_id: str) -> list[dict[str, Any]]:
    """In the order they were added; each has `metrics` (the turn's waterfall, or None)."""
    query = (
        select(Turn, TurnMetrics.metrics)
        .outerjoin(
            TurnMetrics, (TurnMetrics.thread_id == Turn.thread_id) & (TurnMetrics.turn_id == Turn.turn_id)
        )
        .where(Turn.thread_id == thread_id)
        .order_by(Turn.id)
    )
    with db.session() as s:
        return [
            {
                **columns(
                    row,
                    "id",
                    "turn_id",
                    "role",
                    "text",
                    "heard_text",
                    "interrupted",
                    "fluency",
                    "created_at",
                ),
                "metrics": metrics,
            }
            for row, metrics in s.execute(query)
        ]
