"""Do the rows and the checkpoints tell the same story? (`voice-agent sessions check [ID]`)

Per session, the latest checkpoint's messages (what a resume replays as the history) are compared
with the stored turns (what the API and the export show):

- a session row needs checkpoints and checkpoints need a session row (orphans either way);
- the user turns: the same ids in the same order, with the same text;
- what the agent said between two user turns: the checkpoint's agent messages, joined, equal the
  heard text of the agent rows of that stretch (an agent row of a user turn belongs after it; one
  of no user turn, such as the opening or a welcome back, where it was written). A stretch whose
  agent row is still in progress (being spoken now, or cut off by a crash and not yet resumed) is
  not compared: it is settled when the utterance ends or the thread is resumed.

`check_thread` returns the disagreements of one thread as sentences (empty: they agree).
"""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from storage.database import Database
from storage.fork import USER_PREFIX, config
from storage.sessions import get_session, list_sessions
from storage.turns import list_turns


def _norm(text: str) -> str:
    return " ".join(text.split())


def _checkpoint_story(messages: list[Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """([(user turn id, text)], [agent text of each stretch: before the first user turn, after each])."""
    users: list[tuple[str, str]] = []
    agent: list[list[str]] = [[]]
    for message in messages:
        content = message.content if isinstance(getattr(message, "content", None), str) else ""
        kind = getattr(message, "type", None)
        if kind == "human":
            message_id = getattr(message, "id", None) or ""
            users.append((message_id.removeprefix(USER_PREFIX), content))
            agent.append([])
        elif kind == "ai" and not getattr(message, "tool_calls", None) and content.strip():
            agent[-1].append(content)
    return users, [_norm(" ".join(parts)) for parts in agent]


def _row_story(turns: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], list[str], set[int]]:
    """Like `_checkpoint_story`, plus the stretches where the agent is speaking right now."""
    users = [(t["turn_id"], t["text"]) for t in turns if t["role"] == "user"]
    stretch_of = {turn_id: n + 1 for n, (turn_id, _) in enumerate(users)}
    agent: list[list[str]] = [[] for _ in range(len(users) + 1)]
    speaking: set[int] = set()
    current = 0
    for turn in turns:
        if turn["role"] == "user":
            current = stretch_of[turn["turn_id"]]
            continue
        stretch = stretch_of.get(turn["turn_id"], current)
        if turn.get("in_progress"):
            speaking.add(stretch)
        heard = turn["heard_text"] if turn["heard_text"] is not None else turn["text"]
        if heard.strip():
            agent[stretch].append(heard)
    return users, [_norm(" ".join(parts)) for parts in agent], speaking


async def check_thread(*, db: Database, checkpointer: BaseCheckpointSaver[Any], thread_id: str) -> list[str]:
    session = await asyncio.to_thread(get_session, db=db, thread_id=thread_id)
    latest = await checkpointer.aget_tuple(config(thread_id))
    if session is None and latest is None:
        return [f"no session {thread_id!r}"]
    if session is None:
        return ["checkpoints without a session row (left over from a delete?)"]
    turns = await asyncio.to_thread(list_turns, db=db, thread_id=thread_id)
    if latest is None:
        return [f"session row without checkpoints ({len(turns)} turn rows)"]
    messages = list(latest.checkpoint.get("channel_values", {}).get("messages", []) or [])
    saved_users, saved_agent = _checkpoint_story(messages)
    row_users, row_agent, speaking = _row_story(turns)
    problems: list[str] = []
    saved_ids, row_ids = [u for u, _ in saved_users], [u for u, _ in row_users]
    if saved_ids != row_ids:
        missing = [u for u in saved_ids if u not in row_ids]
        extra = [u for u in row_ids if u not in saved_ids]
        problems.append(
            f"user turns differ: checkpoint has {saved_ids}, rows have {row_ids}"
            f" (no row for {missing}, no checkpoint for {extra})"
        )
        return problems
    for (turn_id, saved), (_, stored) in zip(saved_users, row_users, strict=True):
        if _norm(saved) != _norm(stored):
            problems.append(f"user turn {turn_id}: checkpoint says {saved!r}, row says {stored!r}")
    for n, (saved, stored) in enumerate(zip(saved_agent, row_agent, strict=True)):
        if saved != stored and n not in speaking:  # a live utterance is settled when it ends
            where = "before the first user turn" if n == 0 else f"after user turn {saved_ids[n - 1]}"
            problems.append(f"agent speech {where}: checkpoint says {saved!r}, rows say {stored!r}")
    return problems


async def _checkpoint_threads(checkpointer: BaseCheckpointSaver[Any]) -> set[str]:
    return {str(item.config["configurable"]["thread_id"]) async for item in checkpointer.alist(None)}


async def check_sessions(
    *, db: Database, checkpointer: BaseCheckpointSaver[Any], thread_id: str | None = None
) -> dict[str, list[str]]:
    """Thread id → its disagreements, for one thread or every session and checkpointed thread."""
    if thread_id is not None:
        return {thread_id: await check_thread(db=db, checkpointer=checkpointer, thread_id=thread_id)}
    rows = await asyncio.to_thread(list_sessions, db=db, limit=1_000_000)
    threads = [s["thread_id"] for s in rows]
    threads += sorted(await _checkpoint_threads(checkpointer) - set(threads))
    return {t: await check_thread(db=db, checkpointer=checkpointer, thread_id=t) for t in threads}
