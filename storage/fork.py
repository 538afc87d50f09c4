"""Fork: a new thread from a past checkpoint, with the app data (turns, evaluations, tool calls,
turn metrics) of the conversation up to that point.

The fork point is a checkpoint. Its messages name the user turns it holds (`user-<turn_id>`);
what else belongs before it is decided per row:

- a user row: when its turn is in the checkpoint;
- a row of an earlier turn in the checkpoint: always;
- a row of the checkpoint's last turn: when the checkpoint is at rest (the run that answered the
  turn had finished), else only what was written before the checkpoint (the rest of that run is
  run again in the fork and writes its own rows);
- a row of a turn not in the checkpoint: never;
- a row of no user turn (the opening, a welcome back, the wrap-up): when it was written before the
  next run started (the checkpoint at rest) or before the checkpoint (mid-run).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple, copy_checkpoint
from langgraph.checkpoint.base.id import uuid6
from sqlalchemy import select

from storage.database import Database
from storage.errors import UnknownCheckpoint, UnknownThread
from storage.models import Evaluation, Session, ToolCall, Turn, TurnMetrics
from storage.sessions import new_session

log = logging.getLogger(__name__)

USER_PREFIX = "user-"
"""Id prefix of a user turn's HumanMessage (`user-<turn_id>`, set by the graph's responder)."""
BRANCH_PREFIX = "branch:to:"
START_CHANNEL = "__start__"


def config(thread_id: str, checkpoint_id: str | None = None) -> RunnableConfig:
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": ""}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def user_turns(values: dict[str, Any]) -> list[str]:
    """The user turn ids held in a checkpoint's messages, in order."""
    out = []
    for message in values.get("messages", []) or []:
        message_id = getattr(message, "id", None) or ""
        if getattr(message, "type", None) == "human" and message_id.startswith(USER_PREFIX):
            out.append(message_id[len(USER_PREFIX) :])
    return out


def at_rest(values: dict[str, Any]) -> bool:
    """No node is scheduled from this checkpoint: the run that wrote it had finished."""
    return not any(k.startswith(BRANCH_PREFIX) or k == START_CHANNEL for k in values)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Cut:
    """Which rows of the source thread belong before the fork point (see the module doc)."""

    def __init__(self, kept: Sequence[str], *, complete: bool, cutoff: datetime | None) -> None:
        self.kept = list(kept)
        self.complete = complete
        self.cutoff = cutoff
        self.later: set[str] = set()
        """User turn ids of the source thread that the checkpoint does not hold."""

    def _before(self, created_at: datetime) -> bool:
        return self.cutoff is None or _utc(created_at) <= self.cutoff

    def keeps(self, turn_id: str | None, created_at: datetime, *, role: str | None = None) -> bool:
        if role == "user":
            return turn_id in self.kept
        if turn_id in self.kept:
            return turn_id != self.kept[-1] or self.complete or self._before(created_at)
        if turn_id in self.later:
            return False
        return self._before(created_at)


def copy_app_data(*, db: Database, source: str, target: Session, cut: Cut) -> dict[str, int]:
    """Create the fork's session row and copy the source's rows that `cut` keeps (one transaction)."""
    counts = {"turns": 0, "evaluations": 0, "tool_calls": 0}
    with db.session() as s:
        s.add(target)
        s.flush()
        turns = list(s.scalars(select(Turn).where(Turn.thread_id == source).order_by(Turn.id)))
        cut.later = {t.turn_id for t in turns if t.role == "user" and t.turn_id not in cut.kept}
        for turn in turns:
            if cut.keeps(turn.turn_id, turn.created_at, role=turn.role):
                s.add(Turn(**_fields(turn, Turn, thread_id=target.thread_id)))
                counts["turns"] += 1
        models: list[tuple[Any, str]] = [(Evaluation, "evaluations"), (ToolCall, "tool_calls")]
        for model, key in models:
            for row in s.scalars(select(model).where(model.thread_id == source).order_by(model.id)):
                if cut.keeps(row.turn_id, row.created_at):
                    s.add(model(**_fields(row, model, thread_id=target.thread_id)))
                    counts[key] += 1
        for metrics in s.scalars(select(TurnMetrics).where(TurnMetrics.thread_id == source)):
            if cut.keeps(metrics.turn_id, metrics.created_at):
                s.add(TurnMetrics(**_fields(metrics, TurnMetrics, thread_id=target.thread_id)))
    return counts


def _fields(row: Any, model: Any, **override: Any) -> dict[str, Any]:
    names = [c.key for c in model.__table__.columns if c.key != "id"]
    return {**{n: getattr(row, n) for n in names}, **override}


async def _next_run_start(
    checkpointer: BaseCheckpointSaver[Any], thread_id: str, after: datetime
) -> datetime | None:
    """When the first run after `after` began (its input checkpoint), or None."""
    starts = [
        _utc(datetime.fromisoformat(item.checkpoint["ts"]))
        async for item in checkpointer.alist(config(thread_id))
        if (item.metadata or {}).get("source") == "input"
    ]
    later = [t for t in starts if t > after]
    return min(later) if later else None


async def fork_thread(
    *, checkpointer: BaseCheckpointSaver[Any], db: Database, thread_id: str, checkpoint_id: str
) -> str:
    """A new thread whose latest checkpoint is a copy of `checkpoint_id` of `thread_id`, with the
    app data up to that point; its session row has `forked_from` = {thread_id, checkpoint_id}.

    Tasks that ran from that checkpoint in the original thread run again in the new one (their
    pending writes are not copied). The new session row copies workflow, options, owner and
    learner. Raises `UnknownThread` / `UnknownCheckpoint`.
    """
    source = await checkpointer.aget_tuple(config(thread_id, checkpoint_id))
    if source is None:
        if await checkpointer.aget_tuple(config(thread_id)) is None:
            raise UnknownThread(f"no thread {thread_id!r}")
        raise UnknownCheckpoint(f"thread {thread_id!r} has no checkpoint {checkpoint_id!r}")
    session = await asyncio.to_thread(_get_session_row, db, thread_id)
    new_thread_id = secrets.token_urlsafe(16)
    cut = await _cut(checkpointer, thread_id, source)

    checkpoint = copy_checkpoint(source.checkpoint)
    checkpoint["id"] = str(uuid6(clock_seq=-2))
    checkpoint["ts"] = datetime.now(UTC).isoformat()
    forked_from = {"thread_id": thread_id, "checkpoint_id": checkpoint_id}
    metadata: dict[str, Any] = {
        "source": "fork",
        "step": (source.metadata or {}).get("step", -1),
        "parents": {},
        "forked_from": forked_from,
    }
    await checkpointer.aput(
        config(new_thread_id),
        checkpoint,
        metadata,  # type: ignore[arg-type]
        dict(checkpoint["channel_versions"]),
    )
    if session is not None:
        target = new_session(
            thread_id=new_thread_id,
            workflow=session.workflow,
            options={**session.options},
            owner=session.owner,
            learner=session.learner,
            forked_from=forked_from,
        )
        counts = await asyncio.to_thread(copy_app_data, db=db, source=thread_id, target=target, cut=cut)
        log.info("fork %s: copied %s", new_thread_id, counts)
    log.info("forked thread %s at %s into %s", thread_id, checkpoint_id, new_thread_id)
    return new_thread_id


async def _cut(checkpointer: BaseCheckpointSaver[Any], thread_id: str, source: CheckpointTuple) -> Cut:
    values = source.checkpoint.get("channel_values", {})
    taken = _utc(datetime.fromisoformat(source.checkpoint["ts"]))
    complete = at_rest(values)
    cutoff = await _next_run_start(checkpointer, thread_id, taken) if complete else taken
    return Cut(user_turns(values), complete=complete, cutoff=cutoff)


def _get_session_row(db: Database, thread_id: str) -> Session | None:
    with db.session() as s:
        row = s.get(Session, thread_id)
        if row is not None:
            s.expunge(row)
        return row
