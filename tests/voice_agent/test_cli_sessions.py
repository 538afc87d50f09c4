"""`sessions list|show|export|delete`, `history`, `fork` on a real SQLite file with real checkpoints."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest
import typer
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from typer.testing import CliRunner

import storage
from voice_agent import cli_sessions
from voice_agent.cli_sessions import register


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


async def ask_question(state: State) -> dict[str, Any]:
    return {"messages": [AIMessage(f"question after {state['messages'][-1].content}")]}


async def take_note(state: State) -> dict[str, Any]:
    return {"messages": [AIMessage("noted")]}


builder = StateGraph(State)
builder.add_node("ask_question", ask_question)
builder.add_node("take_note", take_note)
builder.add_edge(START, "ask_question")
builder.add_edge("ask_question", "take_note")
builder.add_edge("take_note", END)


def messages(url: str, thread_id: str) -> list[str]:
    async def read() -> list[str]:
        async with storage.open_checkpointer(url) as saver:
            state = await builder.compile(checkpointer=saver).aget_state(
                {"configurable": {"thread_id": thread_id}}
            )
            return [m.content for m in state.values.get("messages", [])]

    return asyncio.run(read())


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"
    db = storage.Database.connect(url)
    db.upgrade()
    storage.create_session(db=db, thread_id="t1", workflow="interview", options={"user": "ana"})
    storage.add_turn(db=db, thread_id="t1", turn_id="u1", role="user", text="hello")
    storage.add_turn(
        db=db,
        thread_id="t1",
        turn_id="u1",
        role="agent",
        text="Hi there. Ready?",
        heard_text="Hi",
        interrupted=True,
    )
    storage.add_evaluation(
        db=db, thread_id="t1", turn_id="u1", payload={"score": 6, "improvements": ["pace"]}
    )
    db.dispose()

    async def converse() -> None:
        async with storage.open_checkpointer(url) as saver:
            graph = builder.compile(checkpointer=saver)
            for text in ("hello", "again"):
                await graph.ainvoke(
                    {"messages": [HumanMessage(text)]},
                    {"configurable": {"thread_id": "t1"}},
                )

    asyncio.run(converse())
    return url


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """The app the real CLI registers into."""

    register(app)
    return app


runner = CliRunner()


def test_list(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(cli, ["sessions", "list", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "t1" in result.stdout and "interview" in result.stdout and "2 turns" in result.stdout
    listed = json.loads(runner.invoke(cli, ["sessions", "list", "--database-url", url, "--json"]).stdout)
    assert [s["thread_id"] for s in listed] == ["t1"]


def test_list_defaults_to_the_settings_database(
    cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_AGENT_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("VOICE_AGENT_DATABASE_URL", raising=False)
    result = runner.invoke(cli, ["sessions", "list"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no sessions"
    assert (tmp_path / "elsewhere" / "voice_agent.db").is_file()


def test_show(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(cli, ["sessions", "show", "t1", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "**Agent:** Hi *[interrupted]* ~~there. Ready?~~" in result.stdout
    assert "Score 6" in result.stdout
    shown = json.loads(runner.invoke(cli, ["sessions", "show", "t1", "--database-url", url, "--json"]).stdout)
    assert shown["session"]["learner"] == "ana"


@pytest.mark.parametrize(
    "args",
    [
        ["sessions", "show", "nope"],
        ["sessions", "export", "nope"],
        ["sessions", "delete", "nope", "--yes"],
        ["history", "nope"],
        ["fork", "nope", "--checkpoint", "x"],
    ],
)
def test_unknown_id_is_a_clear_error(cli: typer.Typer, url: str, args: list[str]) -> None:
    result = runner.invoke(cli, [*args, "--database-url", url])
    assert result.exit_code == 1
    assert "nope" in result.stderr and result.stderr.startswith("error: ")
    assert result.stdout == ""


def test_export(cli: typer.Typer, url: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "t1.json"
    result = runner.invoke(
        cli, ["sessions", "export", "t1", "--format", "json", "--output", str(out), "--database-url", url]
    )
    assert result.exit_code == 0, result.output
    db = storage.Database.connect(url)
    assert json.loads(out.read_text()) == storage.export_session(db=db, thread_id="t1")
    db.dispose()
    md = runner.invoke(cli, ["sessions", "export", "t1", "--format", "md", "--database-url", url])
    assert md.exit_code == 0 and md.stdout.startswith("# Interview session `t1`")
    assert (
        runner.invoke(cli, ["sessions", "export", "t1", "--format", "pdf", "--database-url", url]).exit_code
        == 2
    )


def test_history_and_fork(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(cli, ["history", "t1", "--database-url", url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["step", "source", "node", "next"]
    assert len(lines) == 1 + 8
    assert lines[3].split()[:3] == ["1", "loop", "ask_question"]
    checkpoints = json.loads(runner.invoke(cli, ["history", "t1", "--json", "--database-url", url]).stdout)
    end_of_first = checkpoints[3]
    assert (end_of_first["step"], end_of_first["node"]) == (2, "take_note")

    forked = runner.invoke(
        cli, ["fork", "t1", "--checkpoint", end_of_first["checkpoint_id"], "--database-url", url]
    )
    assert forked.exit_code == 0, forked.output
    new_id = forked.stdout.strip()
    assert len(new_id) >= 20 and new_id != "t1"
    assert messages(url, new_id) == ["hello", "question after hello", "noted"]
    assert len(messages(url, "t1")) == 6
    listed = json.loads(runner.invoke(cli, ["sessions", "list", "--json", "--database-url", url]).stdout)
    assert {s["thread_id"] for s in listed} == {"t1", new_id}

    bad = runner.invoke(cli, ["fork", "t1", "--checkpoint", "nope", "--database-url", url])
    assert bad.exit_code == 1 and "nope" in bad.stderr


def test_delete_asks_on_a_terminal(cli: typer.Typer, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_sessions, "_interactive", lambda: True)
    refused = runner.invoke(cli, ["sessions", "delete", "t1", "--database-url", url], input="n\n")
    assert refused.exit_code == 1
    assert len(messages(url, "t1")) == 6
    result = runner.invoke(cli, ["sessions", "delete", "t1", "--database-url", url], input="y\n")
    assert result.exit_code == 0, result.output
    assert messages(url, "t1") == []


def test_delete(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(cli, ["sessions", "delete", "t1", "--database-url", url])  # not a terminal
    assert result.exit_code == 0, result.output
    assert "deleted t1" in result.stdout
    assert messages(url, "t1") == []
    assert runner.invoke(cli, ["sessions", "show", "t1", "--database-url", url]).exit_code == 1


def test_unreachable_database(cli: typer.Typer) -> None:
    result = runner.invoke(cli, ["sessions", "list", "--database-url", "postgresql://postgres@127.0.0.1:1/x"])
    assert result.exit_code == 1
    assert "cannot reach the database" in result.stderr


def test_check_reports_rows_and_checkpoints_that_disagree(cli: typer.Typer, url: str) -> None:
    # t1's rows hold one user turn, its checkpoints two (and with no turn ids)
    result = runner.invoke(cli, ["sessions", "check", "--database-url", url])
    assert result.exit_code == 1, result.output
    assert "t1  DISAGREE" in result.stdout and "user turns differ" in result.stdout

    db = storage.Database.connect(url)
    storage.create_session(db=db, thread_id="t2", workflow="interview", options={})
    storage.add_turn(db=db, thread_id="t2", turn_id="u1", role="user", text="hi")
    said = "question after hi noted"
    storage.add_turn(db=db, thread_id="t2", turn_id="u1", role="agent", text=said, heard_text=said)
    db.dispose()

    async def converse() -> None:
        async with storage.open_checkpointer(url) as saver:
            await builder.compile(checkpointer=saver).ainvoke(
                {"messages": [HumanMessage("hi", id="user-u1")]}, {"configurable": {"thread_id": "t2"}}
            )

    asyncio.run(converse())
    agree = runner.invoke(cli, ["sessions", "check", "t2", "--database-url", url])
    assert agree.exit_code == 0, agree.output
    assert "t2  ok" in agree.stdout and "1 checked, 0 disagree" in agree.stdout

    db = storage.Database.connect(url)
    storage.add_turn(db=db, thread_id="t2", turn_id="u1", role="agent", text="and more", heard_text="and")
    db.dispose()
    heard = json.loads(
        runner.invoke(cli, ["sessions", "check", "t2", "--json", "--database-url", url]).stdout
    )
    assert heard["checked"] == 1 and "agent speech after user turn u1" in heard["disagreements"]["t2"][0]

    db = storage.Database.connect(url)
    storage.delete_session(db=db, thread_id="t2")  # rows gone, checkpoints left behind
    db.dispose()
    orphan = runner.invoke(cli, ["sessions", "check", "--json", "--database-url", url])
    assert orphan.exit_code == 1
    assert json.loads(orphan.stdout)["disagreements"]["t2"] == [
        "checkpoints without a session row (left over from a delete?)"
    ]


def test_show_names_what_a_fork_came_from(cli: typer.Typer, url: str) -> None:
    checkpoints = json.loads(runner.invoke(cli, ["history", "t1", "--json", "--database-url", url]).stdout)
    at = checkpoints[3]["checkpoint_id"]
    new_id = runner.invoke(cli, ["fork", "t1", "--checkpoint", at, "--database-url", url]).stdout.strip()
    shown = runner.invoke(cli, ["sessions", "show", new_id, "--database-url", url])
    assert f"- Forked from: session `t1` at checkpoint `{at}`" in shown.stdout
    as_json = json.loads(
        runner.invoke(cli, ["sessions", "show", new_id, "--json", "--database-url", url]).stdout
    )
    assert as_json["session"]["forked_from"] == {"thread_id": "t1", "checkpoint_id": at}


def test_token_create(monkeypatch: pytest.MonkeyPatch) -> None:
    from voice_agent import cli_token
    from voice_agent.auth import verify_token
    from voice_agent.settings import Settings

    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """The app the real CLI registers into."""

    cli_token.register(app)
    missing = runner.invoke(app, ["token", "create", "--user", "ana"], env={"VOICE_AGENT_TOKEN_SECRET": ""})
    assert missing.exit_code == 1 and "VOICE_AGENT_TOKEN_SECRET" in missing.stderr
    secret = "k" * 40
    monkeypatch.setenv("VOICE_AGENT_TOKEN_SECRET", secret)
    made = runner.invoke(app, ["token", "create", "--user", "ana", "--ttl-days", "1"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert verify_token(token, Settings.model_validate({"token_secret": secret})) == "ana"
    assert verify_token(token, Settings.model_validate({"token_secret": "j" * 40})) is None
