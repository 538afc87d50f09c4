"""Durability over a real WebSocket to real server processes: resume after a disconnect, a server
killed with SIGKILL mid-reply, two processes sharing one PostgreSQL database, deletion of rows and
checkpoints through the API (also while the session is connected, to this process or another, on
SQLite and PostgreSQL), and a database that is down at start. After each scenario
`voice-agent sessions check` (the real CLI) must find the rows and the checkpoints in agreement.

The servers use the `rules` brain (deterministic) and Piper at 4x speed (`VOICE_AGENT_TTS_SPEED`)
so that replies play out in a second or two: these tests are about what is stored, not about audio.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

import storage
from graph import prompts as common
from graph.workflows.interview import prompts as interview_prompts
from tests.fakes import READY
from tests.storage.conftest import postgres_url  # noqa: F401 - a fresh PostgreSQL database per test
from tests.voice_agent.conftest import ROOT, Client, ServerProcess, connect, start_server

pytestmark = pytest.mark.models

FAST: dict[str, Any] = {"VOICE_AGENT_LLM": "rules", "VOICE_AGENT_TTS_SPEED": "4"}
OPTIONS = {"role": "backend engineer", "questions": 3, "follow_ups": 0}
ANSWERS = [
    "I led the migration of our billing service to Postgres. I planned the cutover, wrote the "
    "scripts and we cut hosting costs by 30 percent with zero downtime.",
    "When our checkout API got slow I profiled it, found an N plus one query, added an index and "
    "batched the reads, and p95 latency dropped from 900 to 120 milliseconds.",
    "I would start from the logs and metrics, reproduce the failure in staging, then write a test "
    "that fails, fix the race with a lock and ship it behind a feature flag.",
]


def welcome_back(index: int, count: int) -> str:
    """What the interview graph says first on a resume (graph/prompts.py + interview prompts)."""
    where = interview_prompts.WELCOME_BACK_WHERE.format(index=index, count=count)
    return common.WELCOME_BACK.format(where=where)


# ---------------------------------------------------------------------------------------------- helpers


class Conversation:
    """One WebSocket connection carrying one conversation, with the recorded messages."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.ws: Any = None
        self.client: Client | None = None
        self.started: dict[str, Any] = {}
        self.ready: str | None = None
        """The turn id of READY, the answer to the greeting's readiness question (a new thread)."""

    async def __aenter__(self) -> Conversation:
        self.ws = await connect(self.server)
        self.client = Client(self.ws)
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.client is not None
        await self.ws.close()
        await self.client.__aexit__(*exc)

    @property
    def c(self) -> Client:
        assert self.client is not None
        return self.client

    async def start(self, thread_id: str | None = None, *, wait_opening: bool = True) -> dict[str, Any]:
        await self.c.send(
            type="session.start",
            workflow="interview",
            thread_id=thread_id,
            options=OPTIONS if thread_id is None else {},
        )
        self.started = await self.c.wait_for("session.started", timeout=30)
        if wait_opening:
            await self.reply_done(None)
            if thread_id is None:  # the greeting asks whether we are ready: question 1 comes after
                self.ready = await self.answer(READY)
        return self.started

    async def reply_done(self, turn_id: str | None, timeout: float = 60) -> str:
        """Wait until the agent's reply (the opening when `turn_id` is None) has played; its text."""
        if turn_id is None:
            start = await self.c.wait_for("agent.audio_start", timeout=timeout)
            turn_id = start["turn_id"]
        else:
            start = await self.c.wait_for("agent.audio_start", timeout=timeout, turn_id=turn_id)
        await self.c.wait_for("agent.audio_end", timeout=timeout, utterance_id=start["utterance_id"])
        return self.said(start["utterance_id"])

    def said(self, utterance_id: str) -> str:
        texts = self.c.messages("agent.text")
        return " ".join(m["text"].strip() for m in texts if m["utterance_id"] == utterance_id)

    def reply_to(self, turn_id: str | None) -> str:
        """The text of the agent's reply to a turn (the opening when None)."""
        starts = self.c.messages("agent.audio_start")
        start = starts[0] if turn_id is None else next(m for m in starts if m["turn_id"] == turn_id)
        return self.said(start["utterance_id"])

    async def answer(self, text: str, *, wait: bool = True) -> str:
        """Type an answer; returns its turn id (after the reply has played when `wait`)."""
        await self.c.send(type="text", text=text)
        echo = await self.c.wait_for("transcript", final=True, text=text, timeout=30)
        if wait:
            await self.reply_done(echo["turn_id"])
        return str(echo["turn_id"])

    def question_indexes(self) -> list[int]:
        return [m["question_index"] for m in self.c.messages("state")]

    def evaluation_of(self, turn_id: str) -> dict[str, Any]:
        return next(m for m in self.c.messages("evaluation") if m["turn_id"] == turn_id)


def joined(items: list[dict[str, Any]], role: str) -> str:
    return " ".join(h["text"].strip() for h in items if h["role"] == role)


def split_history(history: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    """[(user text or None for the opening, agent text that followed it joined)]."""
    out: list[tuple[str | None, str]] = [(None, "")]
    for item in history:
        if item["role"] == "user":
            out.append((item["text"], ""))
        else:
            user, agent = out[-1]
            out[-1] = (user, f"{agent} {item['text'].strip()}".strip())
    return out


async def http(method: str, server: ServerProcess, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http_url, timeout=10) as client:
        return await client.request(method, path)


async def get_session(server: ServerProcess, thread_id: str) -> httpx.Response:
    return await http("GET", server, f"/api/sessions/{thread_id}")


async def wait_for_turn_rows(
    server: ServerProcess, thread_id: str, user_texts: list[str], timeout: float = 15
) -> dict[str, Any]:
    """Poll GET /api/sessions/{id} until the stored turns hold these user texts and the agent row of
    the last one, complete (rows are written off the latency path: the agent row exists, in progress,
    from the reply's first sentence and is completed with what was heard after it has played)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await get_session(server, thread_id)
        assert response.status_code == 200, response.text
        turns = response.json()["turns"]
        users = [t for t in turns if t["role"] == "user"]
        last = users[-1]["turn_id"] if users else None
        if [t["text"] for t in users] == user_texts and any(
            t["role"] == "agent" and t["turn_id"] == last and not t["in_progress"] for t in turns
        ):
            return dict(response.json())
        if time.monotonic() > deadline:
            raise AssertionError(f"stored turns never became {user_texts}: {turns}")
        await asyncio.sleep(0.2)


def sqlite_thread_rows(path: str, thread_id: str) -> dict[str, int]:
    """Rows per table (every table with a thread_id column) of one SQLite file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = {}
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [c[1] for c in con.execute(f'PRAGMA table_info("{table}")')]
            if "thread_id" in columns:
                query = f'SELECT count(*) FROM "{table}" WHERE thread_id = ?'
                counts[table] = con.execute(query, (thread_id,)).fetchone()[0]
        return counts
    finally:
        con.close()


def postgres_thread_rows(url: str, thread_id: str) -> dict[str, int]:
    counts = {}
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.columns"
                " WHERE column_name = 'thread_id' AND table_schema = 'public'"
            ).fetchall()
        ]
        for table in tables:
            row = con.execute(f'SELECT count(*) FROM "{table}" WHERE thread_id = %s', (thread_id,)).fetchone()
            assert row is not None
            counts[table] = row[0]
    return counts


def database_url_of(server: ServerProcess) -> str:
    return str(
        server.env.get("VOICE_AGENT_DATABASE_URL")
        or f"sqlite:///{(server.data_dir / 'voice_agent.db').resolve()}"
    )


def sessions_check(database_url: str) -> dict[str, Any]:
    """`voice-agent sessions check --json` on the database: it must report no disagreement."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "voice_agent", "sessions", "check", "--json", "--database-url", database_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["disagreements"] == {}, (report, result.stderr[-2000:])
    return dict(report)


async def deleted_while_connected(conv: Conversation, delete_on: ServerProcess, thread_id: str) -> None:
    """Delete the session (on `delete_on`) while `conv` is connected with a reply in flight: the
    client is told (unknown_thread, fatal) and the socket closes with 4404."""
    await conv.c.send(type="text", text=ANSWERS[1])
    echo = await conv.c.wait_for("transcript", final=True, text=ANSWERS[1], timeout=30)
    await conv.c.wait_for("agent.text", turn_id=echo["turn_id"], timeout=30)
    deleted = await http("DELETE", delete_on, f"/api/sessions/{thread_id}")
    assert deleted.status_code == 200 and deleted.json() == {"deleted": True, "thread_id": thread_id}
    error = await conv.c.wait_for("error", timeout=20, code="unknown_thread")
    assert error["fatal"] is True
    await asyncio.wait_for(conv.ws.wait_closed(), timeout=20)
    assert conv.ws.close_code == 4404
    await asyncio.sleep(1.5)  # what the stopped session could still write has landed by now


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = start_server(tmp_path_factory.mktemp("durable-sqlite"), **FAST)
    yield server
    server.stop()


# ---------------------------------------------------------------------------------------------- 1. resume


async def test_resume_after_disconnect_continues_the_interview(sqlite_server: ServerProcess) -> None:
    async with Conversation(sqlite_server) as first:
        started = await first.start()
        assert started["resumed"] is False and started["history"] == []
        opening, question1 = first.reply_to(None), first.reply_to(first.ready)
        assert opening.endswith("Are you ready for the first question?")
        assert question1.startswith("Let's begin.")
        turn1 = await first.answer(ANSWERS[0])
        reply1 = first.reply_to(turn1)
        assert first.evaluation_of(turn1)["question_index"] == 1
        assert len(first.c.messages("evaluation")) == 1  # the readiness turn is not scored
        assert first.question_indexes()[-1] == 2  # the next question is asked
    thread_id = started["thread_id"]

    async with Conversation(sqlite_server) as second:
        resumed = await second.start(thread_id, wait_opening=False)
        assert resumed["resumed"] is True and resumed["thread_id"] == thread_id
        # the history is the conversation so far, exactly as it was said and heard
        history = split_history(resumed["history"])
        assert history == [(None, opening), (READY, question1), (ANSWERS[0], reply1)]
        # the agent picks up where it was: question 2 of 3, asked again
        back = await second.reply_done(None)
        assert back.startswith(welcome_back(2, 3)), back
        question = back.removeprefix(welcome_back(2, 3)).strip()
        assert question and reply1.endswith(question), (question, reply1)
        assert second.question_indexes()[0] == 2
        # the next answer is graded as question 2 and the interview moves on to question 3
        turn2 = await second.answer(ANSWERS[1])
        evaluation = second.evaluation_of(turn2)
        assert evaluation["question_index"] == 2
        assert question in evaluation["question"] or evaluation["question"] in reply1
        indexes = second.question_indexes()
        assert indexes == sorted(indexes) and indexes[-1] == 3
        assert all(m["question_count"] == 3 for m in second.c.messages("state"))

    stored = await wait_for_turn_rows(sqlite_server, thread_id, [READY, *ANSWERS[:2]])
    assert [e["payload"]["question_index"] for e in stored["evaluations"]] == [1, 2]
    # every reply played to its end before the next answer: none is stored as interrupted
    agent_rows = [t for t in stored["turns"] if t["role"] == "agent"]
    assert len(agent_rows) == 5  # greeting, question 1, reply 1, welcome back, reply 2
    assert not [t["text"] for t in agent_rows if t["interrupted"] or t["heard_text"] != t["text"]]
    sessions_check(database_url_of(sqlite_server))


# ---------------------------------------------------------------------------------------------- 2. SIGKILL


async def test_sigkill_mid_reply_keeps_completed_turns_and_the_thread_goes_on(tmp_path: Path) -> None:
    server = start_server(tmp_path, **FAST)
    try:
        async with Conversation(server) as conv:
            started = await conv.start()
            thread_id = started["thread_id"]
            opening, question1 = conv.reply_to(None), conv.reply_to(conv.ready)
            turn1 = await conv.answer(ANSWERS[0])
            reply1 = conv.reply_to(turn1)
            await wait_for_turn_rows(server, thread_id, [READY, ANSWERS[0]])  # complete on the server too
            # turn 2: kill the server while the agent is speaking its answer
            turn2 = await conv.answer(ANSWERS[1], wait=False)
            start2 = await conv.c.wait_for("agent.audio_start", turn_id=turn2, timeout=30)
            server.proc.send_signal(signal.SIGKILL)
            assert server.proc.wait(timeout=10) == -signal.SIGKILL
            assert not conv.c.messages("agent.audio_end") or all(
                m["utterance_id"] != start2["utterance_id"] for m in conv.c.messages("agent.audio_end")
            ), "the reply had already played: the kill was not mid-reply"
            heard_before_kill = conv.said(start2["utterance_id"])
    finally:
        server.stop(signal.SIGKILL)

    server = start_server(tmp_path, **FAST)  # a new process on the same data dir
    try:
        async with Conversation(server) as conv:
            resumed = await conv.start(thread_id, wait_opening=False)
            assert resumed["resumed"] is True
            history = resumed["history"]
            turns = split_history(history)
            # every completed turn is there, once, exactly as it was
            assert turns[:3] == [(None, opening), (READY, question1), (ANSWERS[0], reply1)]
            # the turn in flight is either whole (the answer once, and the complete reply) or absent
            users = [h["text"] for h in history if h["role"] == "user"]
            assert users in ([READY, ANSWERS[0]], [READY, ANSWERS[0], ANSWERS[1]]), users
            back = await conv.reply_done(None)
            if len(users) == 3:
                assert len(turns) == 4
                reply2 = turns[3][1]
                assert reply2.startswith(heard_before_kill), (reply2, heard_before_kill)
                # complete: it ends with the question the agent now asks again on resume
                assert back.startswith(welcome_back(3, 3)), back
                assert reply2.endswith(back.removeprefix(welcome_back(3, 3)).strip()), (reply2, back)
                expected_index = 3
            else:
                assert len(turns) == 3
                assert back.startswith(welcome_back(2, 3)), back
                expected_index = 2
            # the stored rows agree with the history: the same user turns, and the turn the kill cut
            # off is there (its row was written when the utterance started) with what was said
            stored = (await get_session(server, thread_id)).json()["turns"]
            stored_users = [t["text"] for t in stored if t["role"] == "user"]
            assert stored_users == users, (stored_users, users)
            if len(users) == 3:
                (cut,) = [t for t in stored if t["role"] == "agent" and t["turn_id"] == turn2]
                assert cut["interrupted"] is True and cut["in_progress"] is False, cut
                assert " ".join(cut["heard_text"].split()) == " ".join(reply2.split()), (cut, reply2)
            sessions_check(database_url_of(server))
            # and the conversation goes on normally
            turn3 = await conv.answer(ANSWERS[2])
            assert conv.evaluation_of(turn3)["question_index"] == expected_index
            assert any(m["turn_id"] == turn3 and m["text"].strip() for m in conv.c.messages("agent.text"))
            assert not conv.c.messages("error")
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------- 3. PostgreSQL


@pytest.mark.postgres
async def test_two_processes_share_one_postgres_database(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    env: dict[str, Any] = {**FAST, "VOICE_AGENT_DATABASE_URL": postgres_url}
    with ThreadPoolExecutor(2) as pool:  # both start (and migrate) at once
        starting = [pool.submit(start_server, tmp_path / name, **env) for name in ("a", "b")]
        servers = [f.result() for f in starting]
    a, b = servers
    try:
        async with Conversation(a) as on_a:
            started = await on_a.start()
            thread_id = started["thread_id"]
            turn1 = await on_a.answer(ANSWERS[0])
            assert on_a.evaluation_of(turn1)["question_index"] == 1
        async with Conversation(b) as on_b:
            resumed = await on_b.start(thread_id)
            assert resumed["resumed"] is True
            assert [h["text"] for h in resumed["history"] if h["role"] == "user"] == [READY, *ANSWERS[:1]]
            assert on_b.reply_to(None).startswith(welcome_back(2, 3))
            turn2 = await on_b.answer(ANSWERS[1])
            assert on_b.evaluation_of(turn2)["question_index"] == 2
            reply2 = on_b.reply_to(turn2)
        # A serves what was said on B
        stored = await wait_for_turn_rows(a, thread_id, [READY, *ANSWERS[:2]])
        agent_rows = [t for t in stored["turns"] if t["role"] == "agent" and t["turn_id"] == turn2]
        assert [t["text"] for t in agent_rows] == [reply2]
        assert not [t for t in stored["turns"] if t["interrupted"]]
        assert [e["turn_id"] for e in stored["evaluations"]] == [turn1, turn2]
        assert stored["session"]["thread_id"] == thread_id

        # deleting on B removes the rows and the checkpoints for both processes
        before = postgres_thread_rows(postgres_url, thread_id)
        for table in ("sessions", "turns", "evaluations", "tool_calls", "checkpoints", "checkpoint_writes"):
            assert before.get(table, 0) > 0, before
        deleted = await http("DELETE", b, f"/api/sessions/{thread_id}")
        assert deleted.status_code == 200 and deleted.json() == {"deleted": True, "thread_id": thread_id}
        assert not any(postgres_thread_rows(postgres_url, thread_id).values())
        assert (await get_session(a, thread_id)).status_code == 404
        async with Conversation(a) as again:
            await again.c.send(type="session.start", workflow="interview", thread_id=thread_id)
            assert (await again.c.wait_for("error", timeout=30))["code"] == "unknown_thread"
        sessions_check(postgres_url)

        # deleted on A while connected to B: B stops it, and nothing of it remains
        async with Conversation(b) as live:
            started = await live.start()
            live_id = started["thread_id"]
            await live.answer(ANSWERS[0])
            await deleted_while_connected(live, a, live_id)
        assert not any(postgres_thread_rows(postgres_url, live_id).values())
        for server in servers:
            assert (await get_session(server, live_id)).status_code == 404
        sessions_check(postgres_url)
    finally:
        for server in servers:
            server.stop()


# ---------------------------------------------------------------------------------------------- 4. delete


async def test_delete_removes_rows_and_checkpoints(sqlite_server: ServerProcess) -> None:
    async with Conversation(sqlite_server) as conv:
        started = await conv.start()
        await conv.answer(ANSWERS[0])
    thread_id = started["thread_id"]
    await wait_for_turn_rows(sqlite_server, thread_id, [READY, ANSWERS[0]])
    url = f"sqlite:///{(sqlite_server.data_dir / 'voice_agent.db').resolve()}"
    app_db, checkpoints = url.removeprefix("sqlite:///"), storage.checkpoint_location(url)
    before = {**sqlite_thread_rows(app_db, thread_id), **sqlite_thread_rows(checkpoints, thread_id)}
    for table in ("sessions", "turns", "evaluations", "tool_calls", "checkpoints", "writes"):
        assert before.get(table, 0) > 0, before

    deleted = await http("DELETE", sqlite_server, f"/api/sessions/{thread_id}")
    assert deleted.status_code == 200 and deleted.json() == {"deleted": True, "thread_id": thread_id}

    after = {**sqlite_thread_rows(app_db, thread_id), **sqlite_thread_rows(checkpoints, thread_id)}
    assert set(after) == set(before) and not any(after.values()), after
    missing = await get_session(sqlite_server, thread_id)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_thread"
    assert (await http("GET", sqlite_server, f"/api/sessions/{thread_id}/history")).status_code == 404
    assert (await http("DELETE", sqlite_server, f"/api/sessions/{thread_id}")).status_code == 404
    listed = (await http("GET", sqlite_server, "/api/sessions")).json()["sessions"]
    assert thread_id not in [s["thread_id"] for s in listed]
    async with Conversation(sqlite_server) as again:
        await again.c.send(type="session.start", workflow="interview", thread_id=thread_id)
        error = await again.c.wait_for("error", timeout=30)
        assert error["code"] == "unknown_thread" and not error["fatal"]
        assert not again.c.messages("session.started")
    sessions_check(url)


async def test_delete_while_connected_here_or_on_another_process_leaves_nothing(
    sqlite_server: ServerProcess, tmp_path: Path
) -> None:
    url = database_url_of(sqlite_server)
    app_db, checkpoints = url.removeprefix("sqlite:///"), storage.checkpoint_location(url)

    def rows(thread_id: str) -> dict[str, int]:
        return {**sqlite_thread_rows(app_db, thread_id), **sqlite_thread_rows(checkpoints, thread_id)}

    async with Conversation(sqlite_server) as conv:  # the delete on the process it is connected to
        here = (await conv.start())["thread_id"]
        await conv.answer(ANSWERS[0])
        await deleted_while_connected(conv, sqlite_server, here)
    assert not any(rows(here).values()), rows(here)

    other = start_server(tmp_path, **FAST, VOICE_AGENT_DATABASE_URL=url)  # the same SQLite files
    try:
        async with Conversation(other) as conv:
            there = (await conv.start())["thread_id"]
            await conv.answer(ANSWERS[0])
            await deleted_while_connected(conv, sqlite_server, there)
        assert not any(rows(there).values()), rows(there)
        assert (await get_session(other, there)).status_code == 404
    finally:
        other.stop()
    sessions_check(url)


# ---------------------------------------------------------------------------------------------- 5. db down


def test_database_down_at_start_exits_non_zero_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    t0 = time.monotonic()
    with pytest.raises(RuntimeError) as failed:
        start_server(
            tmp_path,
            timeout_s=60,
            VOICE_AGENT_LLM="rules",
            VOICE_AGENT_DATABASE_URL="postgresql://postgres@127.0.0.1:1/x",
        )
    elapsed = time.monotonic() - t0
    (proc,) = started
    assert proc.returncode is not None and proc.returncode != 0
    message = str(failed.value)
    assert message.startswith("server exited:"), message[:200]  # on its own: it never became ready
    assert "cannot reach the database at postgresql+psycopg://postgres@127.0.0.1:1/x" in message, message
    (log_file,) = tmp_path.glob("server-*.log")
    log = log_file.read_text()
    assert "Connection refused" in log
    assert "Application startup failed" in log
    assert "ready:" not in log  # the "ready" line of a started server
    assert elapsed < 45, elapsed  # exits by itself, well before start_server's 60 s
