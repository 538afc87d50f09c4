"""Sessions: one row per conversation (LangGraph thread)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from storage.database import Database
from storage.models import Evaluation, Report, Session, ToolCall, Turn, TurnMetrics, utcnow
from storage.rows import columns

STATUSES = ("active", "ended")


def learner_key(*, options: dict[str, Any] | None, owner: str | None) -> str:
    """Whose progress a session counts towards: `options["user"]`, else the owner, else anonymous."""
    user = (options or {}).get("user")
    if isinstance(user, str) and user.strip():
        return user.strip()
    return owner or "anonymous"


def _session_dict(row: Session, turn_count: int | None = None) -> dict[str, Any]:
    out = columns(
        row, "thread_id", "workflow", "options", "status", "owner", "learner", "created_at", "updated_at"
    )
    out["forked_from"] = (
        {"thread_id": row.forked_from_thread_id, "checkpoint_id": row.forked_from_checkpoint_id}
        if row.forked_from_thread_id
        else None
    )
    if turn_count is not None:
        out["turn_count"] = turn_count
    return out


def new_session(
    *,
    thread_id: str,
    workflow: str,
    options: dict[str, Any],
    owner: str | None = None,
    learner: str | None = None,
    forked_from: dict[str, str] | None = None,
) -> Session:
    now = utcnow()
    return Session(
        thread_id=thread_id,
        workflow=workflow,
        options=dict(options),
        status="active",
        owner=owner,
        learner=learner or learner_key(options=options, owner=owner),
        created_at=now,
        updated_at=now,
        forked_from_thread_id=(forked_from or {}).get("thread_id"),
        forked_from_checkpoint_id=(forked_from or {}).get("checkpoint_id"),
    )


def create_session(
    *,
    db: Database,
    thread_id: str,
    workflow: str,
    options: dict[str, Any],
    owner: str | None = None,
    learner: str | None = None,
) -> dict[str, Any]:
    row = new_session(thread_id=thread_id, workflow=workflow, options=options, owner=owner, learner=learner)
    with db.session() as s:
        s.add(row)
    return _session_dict(row)


def get_session(*, db: Database, thread_id: str) -> dict[str, Any] | None:
    with db.session() as s:
        row = s.get(Session, thread_id)
        return None if row is None else _session_dict(row)


def list_sessions(*, db: Database, owner: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Newest first, each with `turn_count`. `owner` given: only that owner's sessions."""
    turn_counts = select(Turn.thread_id, func.count(Turn.id).label("n")).group_by(Turn.thread_id).subquery()
    query = (
        select(Session, func.coalesce(turn_counts.c.n, 0))
        .outerjoin(turn_counts, turn_counts.c.thread_id == Session.thread_id)
        .order_by(Session.created_at.desc(), Session.thread_id)
        .limit(limit)
    )
    if owner is not None:
        query = query.where(Session.owner == owner)
    with db.session() as s:
        return [_session_dict(row, int(n)) for row, n in s.execute(query)]


def set_session_status(*, db: Database, thread_id: str, status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
    with db.session() as s:
        s.execute(
            update(Session).where(Session.thread_id == thread_id).values(status=status, updated_at=utcnow())
        )


def delete_session(*, db: Database, thread_id: str) -> bool:
    """Delete the session and all its rows (not its checkpoints: see `storage.delete_thread`)."""
    with db.session() as s:
        for model in (Turn, TurnMetrics, Evaluation, ToolCall, Report):
            s.execute(delete(model).where(model.thread_id == thread_id))
        result = s.execute(delete(Session).where(Session.thread_id == thread_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]
