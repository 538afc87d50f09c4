"""Preemptive graph runs (`graph.speculation`) against a real SQLite database and checkpointer:
a discarded one leaves no row, no state and no checkpoint behind (also on resume); one the process
dies holding leaves none either (the resumed session never heard of it); a committed one is the
very run a plain reply would have been (same rows, same state, same checkpoints, one graph run)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import storage
from graph.conversation import GraphConversation
from graph.speculation import GraphPreemption
from graph.workflows.interview.bank import question_dicts
from storage import Database
from tests.graph.conftest import GOOD, collect, spoken
from voice_io.protocols import ReplyEvent, Say, UserTurn, Word

WORDS = tuple(Word(w, 0.4 * i, 0.4 * i + 0.3) for i, w in enumerate(GOOD.split()))
OPTIONS = {"role": "data scientist", "questions": 2}  # anonymous: no progress links the two threads


def answer(turn_id: str, text: str = GOOD) -> UserTurn:
    return UserTurn(
        turn_id=turn_id, text=text, source="voice", words=WORDS, audio_s=14.0, response_delay_s=0.8
    )


@pytest.fixture
async def app(tmp_path: Path, make_responder) -> AsyncIterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    db = Database.connect(url)
    db.upgrade()
    storage.replace_questions(db=db, questions=question_dicts())
    async with storage.open_checkpointer(url) as saver:
        writer = storage.BackgroundWriter(db=db)
        recorder = storage.StorageRecorder(db=db, writer=writer)
        responder = make_responder(checkpointer=saver, recorder=recorder)
        yield {"db": db, "saver": saver, "recorder": recorder, "responder": responder, "url": url}
    db.dispose()


async def opened(app: dict[str, Any]) -> GraphConversation:
    conversation = await app["responder"].open(workflow="interview", thread_id=None, options=OPTIONS)
    said = spoken(await collect(conversation.opening()))
    await conversation.record_heard(spoken=said, heard=said, interrupted=False)
    await app["recorder"].flush()
    return conversation


def rows(app: dict[str, Any], thread_id: str) -> dict[str, list[Any]]:
    """What the app stored for the thread, without ids, thread ids and times."""

    def clean(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        drop = {"id", "thread_id", "created_at", "updated_at", "started_at", "ended_at", "at"}
        return [{k: v for k, v in item.items() if k not in drop} for item in items]

    db = app["db"]
    return {
        "turns": clean(storage.list_turns(db=db, thread_id=thread_id)),
        "evaluations": clean(storage.list_evaluations(db=db, thread_id=thread_id)),
        "tools": clean(storage.list_tool_calls(db=db, thread_id=thread_id)),
    }


async def history(app: dict[str, Any], thread_id: str) -> list[Any]:
    return [c async for c in app["saver"].alist({"configurable": {"thread_id": thread_id}})]


async def checkpoints(saver: Any, thread_id: str) -> list[dict[str, Any]]:
    """The thread's checkpoint history as `/api/sessions/{id}/history` and `voice-agent history`
    list it (what a developer forks or resumes from)."""
    return await storage.list_checkpoints(checkpointer=saver, thread_id=thread_id)


async def prepare(preemption: GraphPreemption) -> tuple[asyncio.Task[None], list[ReplyEvent]]:
    """Run the preemptive reply until only its commit is awaited (as the voice loop holds it)."""
    events: list[ReplyEvent] = []

    async def pump() -> None:
        async for event in preemption.events():
            events.append(event)

    task = asyncio.create_task(pump())
    await asyncio.wait_for(preemption.prepared.wait(), timeout=60)
    return task, events


async def test_a_discarded_preemption_leaves_no_row_and_no_state(app) -> None:
    conversation = await opened(app)
    thread_id = conversation.thread_id
    before_values, before_rows = dict(conversation.values), rows(app, thread_id)
    before_id = await conversation.checkpoint_id()
    before_checkpoints = await checkpoints(app["saver"], thread_id)
    before_counts = conversation.spoken_by()

    preemption = conversation.preempt(answer("u1", "I led the payments team"))
    assert isinstance(preemption, GraphPreemption)
    task, events = await prepare(preemption)
    assert any(isinstance(e, Say) for e in events)  # the reply was ready...
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await preemption.discard()
    await app["recorder"].flush()

    # ...and nothing of it is kept: no row, and the latest state is the one before it
    assert rows(app, thread_id) == before_rows
    assert conversation.values == before_values
    assert conversation.spoken_by() == before_counts  # its sentences were never spoken: not counted
    snapshot = await conversation._graph.aget_state({"configurable": {"thread_id": thread_id}})
    assert snapshot.values == before_values
    # the history holds no checkpoint of the abandoned run: none to fork or resume from
    assert await conversation.checkpoint_id() == before_id
    assert await checkpoints(app["saver"], thread_id) == before_checkpoints

    # a resume starts from the state before the speculation
    resumed = await app["responder"].open(workflow="interview", thread_id=thread_id, options={})
    assert resumed.values == before_values
    assert [h.text for h in resumed.history()] == [h.text for h in conversation.history()]

    # the next turn runs from there: the speculative user message is nowhere in the thread
    events = await collect(resumed.reply(answer("u2")))
    assert spoken(events)
    ids = [m.id for m in resumed.values["messages"]]
    assert "user-u2" in ids and "user-u1" not in ids
    await resumed.close()


async def test_a_committed_preemption_is_the_plain_reply_run_once(app) -> None:
    plain = await opened(app)
    plain_events = await collect(plain.reply(answer("u1")))
    plain_said = spoken(plain_events)
    await plain.record_heard(spoken=plain_said, heard=plain_said, interrupted=False)
    await app["recorder"].flush()

    early = await opened(app)
    before_rows = rows(app, early.thread_id)
    preemption = early.preempt(answer("u1"))
    assert isinstance(preemption, GraphPreemption)
    task, events = await prepare(preemption)
    await app["recorder"].flush()
    held_rows = rows(app, early.thread_id)
    await preemption.commit()
    await asyncio.wait_for(task, timeout=60)
    said = spoken(events)
    await early.record_heard(spoken=said, heard=said, interrupted=False)
    await app["recorder"].flush()

    assert held_rows == before_rows  # nothing stored while it was held
    assert said == plain_said
    assert [type(e).__name__ for e in events] == [type(e).__name__ for e in plain_events]
    assert rows(app, early.thread_id) == rows(app, plain.thread_id)

    def content(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k != "messages"} | {
            "messages": [(type(m).__name__, m.content) for m in values["messages"]]
        }

    assert content(early.values) == content(plain.values)
    assert early.spoken_by() == plain.spoken_by()  # counted once, as the plain reply
    # one graph run: the same checkpoints as the plain reply (no second run after the commit)
    assert len(await history(app, early.thread_id)) == len(await history(app, plain.thread_id))
    await plain.close()
    await early.close()


async def test_a_crash_while_a_preemption_is_held_resumes_as_if_it_never_ran(app) -> None:
    conversation = await opened(app)
    thread_id = conversation.thread_id
    before_values, before_rows = dict(conversation.values), rows(app, thread_id)
    before_checkpoints = await checkpoints(app["saver"], thread_id)

    preemption = conversation.preempt(answer("u1", "I led the payments team"))
    assert isinstance(preemption, GraphPreemption)
    task, events = await prepare(preemption)
    assert any(isinstance(e, Say) for e in events)  # the reply was ready, never committed...
    await app["recorder"].flush()

    # ...when the process dies: no commit, no discard. A new process opens the same files and resumes.
    db = Database.connect(app["url"])
    try:
        async with storage.open_checkpointer(app["url"]) as saver:
            writer = storage.BackgroundWriter(db=db)
            recorder = storage.StorageRecorder(db=db, writer=writer)
            responder = type(app["responder"])(chat_model=None, checkpointer=saver, recorder=recorder)
            resumed = await responder.open(workflow="interview", thread_id=thread_id, options={})

            # the user's turn was never final and the reply never spoken: neither is in the thread
            assert resumed.values == before_values
            ids = [m.id for m in resumed.values["messages"]]
            assert "user-u1" not in ids
            assert [h.text for h in resumed.history()] == [h.text for h in conversation.history()]
            assert await checkpoints(saver, thread_id) == before_checkpoints
            await recorder.flush()
            assert rows(app, thread_id) == before_rows

            # the user repeats the turn: it is answered from the state before the speculation
            said = spoken(await collect(resumed.opening()))
            await resumed.record_heard(spoken=said, heard=said, interrupted=False)
            assert spoken(await collect(resumed.reply(answer("u1"))))
            ids = [m.id for m in resumed.values["messages"]]
            assert ids.count("user-u1") == 1
            assert "I led the payments team" not in [m.content for m in resumed.values["messages"]]
            await resumed.close()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        db.dispose()


async def test_a_preemption_committed_mid_run_is_the_plain_reply(app) -> None:
    plain = await opened(app)
    plain_said = spoken(await collect(plain.reply(answer("u1"))))
    await plain.record_heard(spoken=plain_said, heard=plain_said, interrupted=False)
    await app["recorder"].flush()

    early = await opened(app)
    preemption = early.preempt(answer("u1"))
    assert isinstance(preemption, GraphPreemption)
    events: list[ReplyEvent] = []
    async for event in preemption.events():  # the turn goes final at its first sentence
        if not events:
            assert not preemption.prepared.is_set()  # the graph run is still going
            await preemption.commit()
        events.append(event)
    said = spoken(events)
    await early.record_heard(spoken=said, heard=said, interrupted=False)
    await app["recorder"].flush()

    assert said == plain_said
    assert rows(app, early.thread_id) == rows(app, plain.thread_id)
    assert [m.content for m in early.values["messages"]] == [m.content for m in plain.values["messages"]]

    def shape(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(c["source"], c["step"], c["node"], c["next"]) for c in items]

    assert shape(await checkpoints(app["saver"], early.thread_id)) == shape(
        await checkpoints(app["saver"], plain.thread_id)
    )
    await plain.close()
    await early.close()
