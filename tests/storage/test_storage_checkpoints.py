"""Checkpoints written by a real two-node LangGraph graph: history, fork, delete (SQLite + PostgreSQL)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

from storage import (
    Database,
    UnknownCheckpoint,
    UnknownThread,
    add_turn,
    checkpoint_location,
    create_session,
    delete_thread,
    fork_thread,
    get_session,
    list_checkpoints,
    list_turns,
    open_checkpointer,
)


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    asked: int


async def ask_question(state: State) -> dict[str, Any]:
    asked = state.get("asked", 0)
    return {"messages": [AIMessage(f"question {asked}")], "asked": asked + 1}


async def take_note(state: State) -> dict[str, Any]:
    return {"messages": [AIMessage(f"noted {state['messages'][-2].content}")]}


builder = StateGraph(State)
builder.add_node("ask_question", ask_question)
builder.add_node("take_note", take_note)
builder.add_edge(START, "ask_question")
builder.add_edge("ask_question", "take_note")
builder.add_edge("take_note", END)


def said(text: str) -> Any:
    return {"messages": [HumanMessage(text)]}


def config(thread_id: str) -> Any:
    return {"configurable": {"thread_id": thread_id}}


def texts(state: Any) -> list[str]:
    return [m.content for m in state.values["messages"]]


def test_checkpoint_location() -> None:
    assert checkpoint_location("sqlite:////srv/data/voice_agent.db") == "/srv/data/voice_agent.checkpoints.db"
    assert checkpoint_location("sqlite://") == ":memory:"
    assert checkpoint_location("postgresql+psycopg://u:p@h:5/db") == "postgresql://u:p@h:5/db"
    assert checkpoint_location("postgresql://u@h/db") == "postgresql://u@h/db"


async def test_sqlite_checkpoints_live_next_to_the_app_db(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'dir' / 'voice_agent.db'}"
    async with open_checkpointer(url) as saver:
        graph = builder.compile(checkpointer=saver)
        await graph.ainvoke(said("hi"), config("t"))
    assert (tmp_path / "new" / "dir" / "voice_agent.checkpoints.db").is_file()
    async with open_checkpointer(url) as saver:  # reopened: the conversation survived
        graph = builder.compile(checkpointer=saver)
        assert texts(await graph.aget_state(config("t"))) == ["hi", "question 0", "noted hi"]


async def test_history_fork_and_delete(database_url: str) -> None:
    db = Database.connect(database_url)
    db.upgrade()
    try:
        async with open_checkpointer(database_url) as saver:
            graph = builder.compile(checkpointer=saver)
            create_session(db=db, thread_id="orig", workflow="interview", options={"role": "sre"}, owner="o")
            await graph.ainvoke(said("first"), config("orig"))
            await graph.ainvoke(said("second"), config("orig"))
            original = texts(await graph.aget_state(config("orig")))
            assert original == ["first", "question 0", "noted first", "second", "question 1", "noted second"]

            history = await list_checkpoints(checkpointer=saver, thread_id="orig")
            assert [h["step"] for h in history] == [-1, 0, 1, 2, 3, 4, 5, 6]
            assert [h["source"] for h in history] == ["input", "loop", "loop", "loop"] * 2
            assert [h["node"] for h in history] == [None, "__start__", "ask_question", "take_note"] * 2
            assert [h["next"] for h in history] == [["__start__"], ["ask_question"], ["take_note"], []] * 2
            assert history[0]["parent_checkpoint_id"] is None
            assert all(
                h["parent_checkpoint_id"] == p["checkpoint_id"] for p, h in itertools.pairwise(history)
            )
            assert all(h["created_at"] for h in history)
            # LangGraph's own view agrees on which checkpoint is which
            snapshots = [s async for s in graph.aget_state_history(config("orig"))]
            assert [s.config["configurable"]["checkpoint_id"] for s in reversed(snapshots)] == [
                h["checkpoint_id"] for h in history
            ]

            # fork after the first exchange (step 2: the end of the first run)
            end_of_first = history[3]
            new_id = await fork_thread(
                checkpointer=saver, db=db, thread_id="orig", checkpoint_id=end_of_first["checkpoint_id"]
            )
            assert new_id != "orig" and len(new_id) >= 20
            forked_state = await graph.aget_state(config(new_id))
            assert texts(forked_state) == ["first", "question 0", "noted first"]
            assert forked_state.values["asked"] == 1
            forked_history = await list_checkpoints(checkpointer=saver, thread_id=new_id)
            assert [(h["source"], h["step"]) for h in forked_history] == [("fork", 2)]

            await graph.ainvoke(said("other"), config(new_id))
            assert texts(await graph.aget_state(config(new_id))) == [
                "first", "question 0", "noted first", "other", "question 1", "noted other",
            ]  # fmt: skip
            assert texts(await graph.aget_state(config("orig"))) == original  # untouched
            assert len(await list_checkpoints(checkpointer=saver, thread_id="orig")) == 8

            session = get_session(db=db, thread_id=new_id)
            assert session is not None
            assert (session["workflow"], session["options"], session["owner"]) == (
                "interview",
                {"role": "sre"},
                "o",
            )

            # a fork from the middle of a run resumes that run
            mid = history[1]  # after __start__, before ask_question
            mid_id = await fork_thread(
                checkpointer=saver, db=db, thread_id="orig", checkpoint_id=mid["checkpoint_id"]
            )
            await graph.ainvoke(None, config(mid_id))
            assert texts(await graph.aget_state(config(mid_id))) == ["first", "question 0", "noted first"]

            with pytest.raises(UnknownCheckpoint):
                await fork_thread(checkpointer=saver, db=db, thread_id="orig", checkpoint_id="nope")
            with pytest.raises(UnknownThread):
                await fork_thread(checkpointer=saver, db=db, thread_id="ghost", checkpoint_id="nope")

            # delete: rows and checkpoints of that thread only
            add_turn(db=db, thread_id="orig", turn_id="u1", role="user", text="first")
            assert await delete_thread(db=db, checkpointer=saver, thread_id="orig") is True
            assert get_session(db=db, thread_id="orig") is None
            assert list_turns(db=db, thread_id="orig") == []
            assert await list_checkpoints(checkpointer=saver, thread_id="orig") == []
            assert (await graph.aget_state(config("orig"))).values == {}
            assert len(texts(await graph.aget_state(config(new_id)))) == 6
            assert await delete_thread(db=db, checkpointer=saver, thread_id="orig") is False
    finally:
        db.dispose()


async def test_fork_copies_the_app_data_up_to_the_fork_point(database_url: str) -> None:
    from storage import add_evaluation, export_session

    db = Database.connect(database_url)
    db.upgrade()
    try:
        async with open_checkpointer(database_url) as saver:
            graph = builder.compile(checkpointer=saver)
            create_session(db=db, thread_id="p", workflow="interview", options={}, owner="ana")
            add_turn(
                db=db, thread_id="p", turn_id="opening", role="agent", text="Hello.", heard_text="Hello."
            )
            for turn_id, text in (("u1", "first"), ("u2", "second")):
                add_turn(db=db, thread_id="p", turn_id=turn_id, role="user", text=text)
                await graph.ainvoke({"messages": [HumanMessage(text, id=f"user-{turn_id}")]}, config("p"))
                add_evaluation(db=db, thread_id="p", turn_id=turn_id, payload={"score": len(text)})
                add_turn(db=db, thread_id="p", turn_id=turn_id, role="agent", text=f"noted {text}")
            history = await list_checkpoints(checkpointer=saver, thread_id="p")

            def story(thread_id: str) -> tuple[list[tuple[str, str]], list[str | None]]:
                export = export_session(db=db, thread_id=thread_id)
                assert export is not None
                return (
                    [(t["turn_id"], t["role"]) for t in export["turns"]],
                    [e["turn_id"] for e in export["evaluations"]],
                )

            # at rest after the first run: the first exchange, whole
            at_rest = await fork_thread(
                checkpointer=saver, db=db, thread_id="p", checkpoint_id=history[3]["checkpoint_id"]
            )
            assert story(at_rest) == (
                [("opening", "agent"), ("u1", "user"), ("u1", "agent")],
                ["u1"],
            )
            forked = get_session(db=db, thread_id=at_rest)
            assert forked is not None and forked["owner"] == "ana"
            assert forked["forked_from"] == {"thread_id": "p", "checkpoint_id": history[3]["checkpoint_id"]}
            # in the middle of the second run: its user turn, not what the run wrote after that point
            mid_run = await fork_thread(
                checkpointer=saver, db=db, thread_id="p", checkpoint_id=history[5]["checkpoint_id"]
            )
            assert story(mid_run) == (
                [("opening", "agent"), ("u1", "user"), ("u1", "agent"), ("u2", "user")],
                ["u1"],
            )
            assert story("p")[1] == ["u1", "u2"]  # the parent keeps everything
            assert get_session(db=db, thread_id="p")["forked_from"] is None  # type: ignore[index]
    finally:
        db.dispose()
