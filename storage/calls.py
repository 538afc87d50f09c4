"""Phone calls: the provider's ids and the hashed caller number, saved with their session.

Kept in the session's `options` under `"call"` (no schema change): a resumed conversation reads
back only the workflow's own options, so the call metadata never reaches the graph.
"""

from __future__ import annotations

from typing import Any

from storage.database import Database
from storage.errors import UnknownThread
from storage.models import Session, utcnow

CALL_KEYS = ("provider", "call_sid", "stream_sid", "caller_hash")


def save_call(*, db: Database, thread_id: str, call: dict[str, Any]) -> None:
    """Store `call` ({provider, call_sid, stream_sid, caller_hash}) with the session.

    A session resumed by a second call keeps the first one's record under `"calls"` history.
    """
    unknown = sorted(set(call) - set(CALL_KEYS))
    if unknown:
        raise ValueError(f"unknown call field {unknown[0]!r} (fields: {', '.join(CALL_KEYS)})")
    with db.session() as s:
        row = s.get(Session, thread_id)
        if row is None:
            raise UnknownThread(f"no session {thread_id!r}")
        options = dict(row.options or {})
        previous = options.get("call")
        if isinstance(previous, dict) and previous.get("call_sid") != call.get("call_sid"):
            options["calls"] = [*options.get("calls", []), previous]
        options["call"] = dict(call)
        row.options = options  # a new dict: SQLAlchemy sees the change
        row.updated_at = utcnow()


def get_call(*, db: Database, thread_id: str) -> dict[str, Any] | None:
    with db.session() as s:
        row = s.get(Session, thread_id)
        call = (row.options or {}).get("call") if row is not None else None
        return dict(call) if isinstance(call, dict) else None
