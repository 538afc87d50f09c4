"""Evaluations (graded answers, progress updates) and tool calls of a session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.models import Evaluation, ToolCall, utcnow
from storage.rows import columns

TOOL_STATUSES = ("start", "end", "error")


def _score(payload: dict[str, Any]) -> float | None:
    score = payload.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float):
        return None
    return float(score)


def add_evaluation(*, db: Database, thread_id: str, turn_id: str | None, payload: dict[str, Any]) -> None:
    """`payload` is the `evaluation` event as sent to the client."""
    with db.session() as s:
        s.add(
            Evaluation(
                thread_id=thread_id,
                turn_id=turn_id,
                score=_score(payload),
                payload=dict(payload),
                created_at=utcnow(),
            )
        )


def list_evaluations(*, db: Database, thread_id: str) -> list[dict[str, Any]]:
    """Oldest first: `{id, turn_id, score, payload, created_at}`."""
    query = select(Evaluation).where(Evaluation.thread_id == thread_id).order_by(Evaluation.id)
    with db.session() as s:
        return [columns(row, "id", "turn_id", "score", "payload", "created_at") for row in s.scalars(query)]


def add_tool_call(
    *,
    db: Database,
    thread_id: str,
    turn_id: str | None,
    name: str,
    status: str,
    args: dict[str, Any] | None = None,
    result: Any = None,
    error: str | None = None,
) -> None:
    if status not in TOOL_STATUSES:
        raise ValueError(f"status must be one of {TOOL_STATUSES}, not {status!r}")
    with db.session() as s:
        s.add(
            ToolCall(
                thread_id=thread_id,
                turn_id=turn_id,
                name=name,
                status=status,
                args=args,
                result=result,
                error=error,
                created_at=utcnow(),
            )
        )


def list_tool_calls(*, db: Database, thread_id: str) -> list[dict[str, Any]]:
    query = select(ToolCall).where(ToolCall.thread_id == thread_id).order_by(ToolCall.id)
    with db.session() as s:
        return [
            columns(row, "id", "turn_id", "name", "status", "args", "result", "error", "created_at")
            for row in s.scalars(query)
        ]
