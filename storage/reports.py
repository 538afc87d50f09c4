"""The final report of a session (one per thread; saving again replaces it)."""

from __future__ import annotations

from typing import Any

from storage.database import Database
from storage.models import Report, Session, utcnow


def save_report(*, db: Database, thread_id: str, report: dict[str, Any]) -> None:
    now = utcnow()
    with db.session() as s:
        row = s.get(Report, thread_id)
        if row is None:
            s.add(Report(thread_id=thread_id, report=dict(report), created_at=now, updated_at=now))
        else:
            row.report = dict(report)
            row.updated_at = now
        session = s.get(Session, thread_id)
        if session is not None:
            session.updated_at = now


def get_report(*, db: Database, thread_id: str) -> dict[str, Any] | None:
    """The report dict as saved, or None."""
    with db.session() as s:
        row = s.get(Report, thread_id)
        return None if row is None else dict(row.report)
