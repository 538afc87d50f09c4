"""Turns (what was said, and what of it was heard) and their latency waterfall.

An agent turn is written when its utterance starts (`speak_turn`, `in_progress`, updated as more
sentences are spoken) and completed by `add_turn` with what was heard when the utterance ends or
is interrupted. A process killed in between leaves the row in progress; `settle_thread` (run when
the thread is resumed) marks it cut off and makes the rows follow the checkpoint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as OrmSession

from storage.database import Database
from storage.models import Evaluation, Session, ToolCall, Turn, TurnMetrics, utcnow
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
    """A user turn, or an agent turn as it ended: completes the turn's row in progress, if any."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    now = utcnow()
    with db.session() as s:
        row = _open_row(s, thread_id, turn_id) if role == "agent" else None
        if row is not None:
            row.text, row.heard_text, row.interrupted = text, heard_text, interrupted
            row.in_progress, row.said = False, None
            s.execute(update(Session).where(Session.thread_id == thread_id).values(updated_at=now))
            return
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


def _in_progress(s: OrmSession, thread_id: str, turn_id: str) -> Turn | None:
    query = (
        select(Turn)
        .where(Turn.thread_id == thread_id, Turn.turn_id == turn_id, Turn.role == "agent", Turn.in_progress)
        .order_by(Turn.id.desc())
        .limit(1)
    )
    return s.scalars(query).first()


def _open_row(s: OrmSession, thread_id: str, turn_id: str) -> Turn | None:
    """The agent row `add_turn` completes: in progress, or cut off by `settle_thread` (which keeps
    its `said`) while the old connection was still closing: its own account of what was heard wins."""
    query = (
        select(Turn)
        .where(Turn.thread_id == thread_id, Turn.turn_id == turn_id, Turn.role == "agent")
        .where(Turn.in_progress | Turn.said.is_not(None))
        .order_by(Turn.id.desc())
        .limit(1)
    )
    return s.scalars(query).first()


def speak_turn(*, db: Database, thread_id: str, turn_id: str, said: Mapping[str, Sequence[str]]) -> None:
    """The agent is speaking: write (or update) the turn's row in progress with what it has said
    so far (`said`: graph message id → sentences, in speaking order)."""
    text = " ".join(" ".join(sentences) for sentences in said.values())
    with db.session() as s:
        row = _in_progress(s, thread_id, turn_id)
        if row is None:
            s.add(
                Turn(
                    thread_id=thread_id,
                    turn_id=turn_id,
                    role="agent",
                    text=text,
                    interrupted=False,
                    in_progress=True,
                    said={k: list(v) for k, v in said.items()},
                    created_at=utcnow(),
                )
            )
        else:
            row.text, row.said = text, {k: list(v) for k, v in said.items()}


def settle_thread(
    *, db: Database, thread_id: str, user_turns: Sequence[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Make the rows follow the checkpoint after a crash: `user_turns` = (turn id, text) the
    checkpoint holds. Agent rows left in progress are marked cut off (interrupted, heard = what
    was said before the crash) and returned (`turn_id`, `text`, `said`); a user turn the checkpoint
    never got is removed with its rows; one it has without a row gets its row."""
    kept = dict(user_turns)
    with db.session() as s:
        rows = list(s.scalars(select(Turn).where(Turn.thread_id == thread_id).order_by(Turn.id)))
        lost = {r.turn_id for r in rows if r.role == "user" and r.turn_id not in kept}
        if lost:
            for model in (Turn, Evaluation, ToolCall, TurnMetrics):
                s.execute(delete(model).where(model.thread_id == thread_id, model.turn_id.in_(lost)))
        have = {r.turn_id for r in rows if r.role == "user"}
        for turn_id, text in user_turns:
            if turn_id not in have:
                s.add(Turn(thread_id=thread_id, turn_id=turn_id, role="user", text=text, created_at=utcnow()))
        cut: list[dict[str, Any]] = []
        for row in rows:
            if row.in_progress and row.turn_id not in lost:
                cut.append({"turn_id": row.turn_id, "text": row.text, "said": dict(row.said or {})})
                row.heard_text, row.interrupted, row.in_progress = row.text, True, False
        return cut


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
                    "in_progress",
                ),
                "metrics": metrics,
            }
            for row, metrics in s.execute(query)
        ]
