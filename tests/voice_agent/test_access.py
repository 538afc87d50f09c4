"""Who may reach what, over the real /ws endpoint and HTTP API (real brain and storage in-process):
the Host allow-list, two users' tokens on the socket, a delete while the session is connected,
and a fork over HTTP that carries the conversation up to the fork point."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from websockets.exceptions import InvalidStatus

import storage
from storage.consistency import check_sessions
from tests.fakes import READY
from tests.voice_agent.wsapp import Socket, receive_until, running
from voice_agent.app import create_app
from voice_agent.auth import create_token
from voice_agent.settings import Settings

SECRET = "hmac-key-of-this-deployment-0123456789"
OPTIONS = {"role": "backend engineer", "questions": 3, "follow_ups": 0}
ANSWERS = [
    "I led the migration of our billing service to Postgres and cut hosting costs by 30 percent.",
    "I profiled the checkout API, added an index and p95 latency dropped from 900 to 120 ms.",
    "I would reproduce the failure in staging, write a failing test and fix the race with a lock.",
]


class Talk:
    """One socket carrying one conversation; waits for each reply to play out."""

    def __init__(self, ws: Socket) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self.ready: str | None = None
        """The turn id of READY, the answer to the greeting's readiness question (a new thread)."""

    def until(self, kind: str, **match: Any) -> dict[str, Any]:
        def done(m: dict[str, Any]) -> bool:
            return m["type"] == kind and all(m.get(k) == v for k, v in match.items())

        self.seen += receive_until(self.ws, done)
        return self.seen[-1]

    def start(self, thread_id: str | None = None, *, wait: bool = True) -> dict[str, Any]:
        self.ws.send_text(
            json.dumps(
                {"type": "session.start", "workflow": "interview", "thread_id": thread_id, "options": OPTIONS}
            )
        )
        self.seen += receive_until(self.ws, lambda m: m["type"] in ("session.started", "error"))
        reply = self.seen[-1]
        if wait and reply["type"] == "session.started":
            self.played()
            if thread_id is None:  # the greeting asks whether we are ready: question 1 comes after
                self.ready = self.answer(READY)
        return reply

    def played(self, turn_id: str | None = None) -> None:
        start = self.until("agent.audio_start", **({"turn_id": turn_id} if turn_id else {}))
        self.until("agent.audio_end", utterance_id=start["utterance_id"])

    def answer(self, text: str) -> str:
        self.ws.send_text(json.dumps({"type": "text", "text": text}))
        turn_id = str(self.until("transcript", final=True, text=text)["turn_id"])
        self.played(turn_id)
        return turn_id


def session_of(
    client: httpx.Client, thread_id: str, *, users: int, headers: dict[str, str] | None = None
) -> Any:
    """GET the session once its rows hold `users` user turns and an agent row after the last."""
    deadline = time.monotonic() + 20
    while True:
        body = client.get(f"/api/sessions/{thread_id}", headers=headers or {}).json()
        turns = body["turns"]
        if len([t for t in turns if t["role"] == "user"]) == users and turns and turns[-1]["role"] == "agent":
            return body
        assert time.monotonic() < deadline, turns
        time.sleep(0.1)


def disagreements(url: str, thread_id: str | None = None) -> dict[str, list[str]]:
    async def run() -> dict[str, list[str]]:
        db = storage.Database.connect(url)
        try:
            async with storage.open_checkpointer(url) as saver:
                return await check_sessions(db=db, checkpointer=saver, thread_id=thread_id)
        finally:
            db.dispose()

    return {t: p for t, p in asyncio.run(run()).items() if p}


def checkpointed_threads(url: str) -> set[str]:
    async def run() -> set[str]:
        async with storage.open_checkpointer(url) as saver:
            return {c.config["configurable"]["thread_id"] async for c in saver.alist(None)}

    return asyncio.run(run())


# ---------------------------------------------------------------------------------------------- hosts


def test_a_foreign_host_is_refused_on_http_and_the_socket(tmp_path: Path) -> None:
    with running(tmp_path, allowed_hosts="voice.example.com") as app:
        assert app.http.get("/api/sessions").status_code == 200
        for host in ("localhost", f"localhost:{app.port}", f"[::1]:{app.port}", "voice.example.com"):
            assert app.http.get("/api/sessions", headers={"Host": host}).status_code == 200, host
        # DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends Host: evil.example
        rebound = app.http.get("/api/sessions", headers={"Host": f"evil.example:{app.port}"})
        assert rebound.status_code == 400 and "sessions" not in rebound.text
        with pytest.raises(InvalidStatus) as refused:
            with app.socket(host=f"evil.example:{app.port}"):
                pass
        assert refused.value.response.status_code == 400
        with app.socket(host="voice.example.com") as ws:
            ws.send_text('{"type":"ping","t":1}')
            assert receive_until(ws, lambda m: m["type"] == "pong")[-1]["t"] == 1
    # the app itself (every mode: no token here) carries the allow-list
    app_client = TestClient(create_app(Settings()), base_url="http://evil.example")
    assert app_client.get("/healthz").status_code == 400
    assert app_client.get("http://127.0.0.1:8000/healthz").status_code == 200


# ---------------------------------------------------------------------------------------------- two users


def test_a_user_cannot_resume_or_see_anothers_thread(tmp_path: Path) -> None:
    alice, bob = (create_token(user=u, secret=SECRET) for u in ("alice", "bob"))
    with running(tmp_path, token_secret=SECRET, token="admin-token") as app:
        with app.socket(token=alice) as ws:
            thread_id = Talk(ws).start()["thread_id"]
        with app.socket(token=bob) as ws:
            talk = Talk(ws)
            theirs = talk.start(thread_id)
            unknown = talk.start("a-thread-that-never-was")
            assert theirs["type"] == unknown["type"] == "error"
            assert theirs["code"] == unknown["code"] == "unknown_thread" and not theirs["fatal"]
            assert theirs["message"].replace(thread_id, "X") == unknown["message"].replace(
                "a-thread-that-never-was", "X"
            )
            assert not [m for m in talk.seen if m["type"] == "session.started"]  # nothing of alice's
            bob_thread = talk.start()["thread_id"]
        with app.socket(token=alice) as ws:
            resumed = Talk(ws).start(thread_id)
            assert resumed["type"] == "session.started" and resumed["resumed"] is True
        bearer = {"Authorization": f"Bearer {bob}"}
        listed = app.http.get("/api/sessions", headers=bearer).json()["sessions"]
        assert [s["thread_id"] for s in listed] == [bob_thread]
        with app.socket(token="admin-token") as ws:  # the shared token is admin
            assert Talk(ws).start(thread_id)["type"] == "session.started"
        for token in (None, "wrong", create_token(user="alice", secret="x" * 40)):
            with app.socket(token=token) as ws:
                closed = ws.receive()
                assert closed["type"] == "websocket.close" and closed["code"] == 4401


# ---------------------------------------------------------------------------------------------- delete


def test_delete_while_connected_stops_the_session_and_leaves_nothing(tmp_path: Path) -> None:
    alice = create_token(user="alice", secret=SECRET)
    bearer = {"Authorization": f"Bearer {alice}"}
    with running(tmp_path, token_secret=SECRET) as app:
        with app.socket(token=alice) as ws:
            talk = Talk(ws)
            thread_id = talk.start()["thread_id"]
            talk.answer(ANSWERS[0])
            ws.send_text(json.dumps({"type": "text", "text": ANSWERS[1]}))  # a reply in flight
            talk.until("agent.text")
            assert app.http.delete(f"/api/sessions/{thread_id}", headers=bearer).status_code == 200
            error = talk.until("error")
            assert error["code"] == "unknown_thread" and error["fatal"] is True
            closed = ws.receive()
            while closed["type"] != "websocket.close":  # frames already on their way
                closed = ws.receive()
            assert closed["code"] == 4404
        time.sleep(0.5)  # anything the stopped session could still have written would land now
        assert app.http.get(f"/api/sessions/{thread_id}", headers=bearer).status_code == 404
        assert thread_id not in checkpointed_threads(app.url)
        assert disagreements(app.url) == {}


# ---------------------------------------------------------------------------------------------- fork


def test_fork_over_http_carries_the_conversation_up_to_the_fork_point(tmp_path: Path) -> None:
    with running(tmp_path) as app:
        with app.socket() as ws:
            talk = Talk(ws)
            parent = talk.start()["thread_id"]
            talk.answer(ANSWERS[0])
            talk.answer(ANSWERS[1])
            ready = talk.ready
        before = session_of(app.http, parent, users=3)
        checkpoints = app.http.get(f"/api/sessions/{parent}/history").json()["checkpoints"]
        runs = [n for n, c in enumerate(checkpoints) if c["source"] == "input"]
        # runs: the opening, READY, the first answer, the second; at rest after the answer to the
        # first answer: before the run of the second one began
        fork_at = next(c for c in reversed(checkpoints[: runs[3]]) if c["next"] == [])
        forked_from = {"thread_id": parent, "checkpoint_id": fork_at["checkpoint_id"]}
        response = app.http.post(
            f"/api/sessions/{parent}/fork", json={"checkpoint_id": forked_from["checkpoint_id"]}
        )
        assert response.status_code == 201
        child = response.json()["thread_id"]
        assert response.json()["forked_from"] == forked_from

        body = app.http.get(f"/api/sessions/{child}").json()
        assert body["session"]["forked_from"] == forked_from
        turn1 = before["turns"][3]["turn_id"]
        parent_turns = [(t["role"], t["text"]) for t in before["turns"]]
        # the greeting, READY and question 1, the first answer and the agent's reply to it; not the
        # second answer
        assert [(t["role"], t["text"]) for t in body["turns"]] == parent_turns[:5]
        assert [e["turn_id"] for e in body["evaluations"]] == [turn1]
        assert {c["turn_id"] for c in body["tool_calls"]} <= {ready, turn1, "opening"}
        markdown = app.http.get(f"/api/sessions/{child}/export?format=md").text
        assert f"Forked from: session `{parent}`" in markdown
        assert disagreements(app.url) == {}

        with app.socket() as ws:  # the fork goes its own way
            talk = Talk(ws)
            resumed = talk.start(child)
            assert [h["text"] for h in resumed["history"] if h["role"] == "user"] == [READY, ANSWERS[0]]
            own = talk.answer(ANSWERS[2])
        after = session_of(app.http, child, users=3)
        users = [(t["turn_id"], t["text"]) for t in after["turns"] if t["role"] == "user"]
        assert users == [(ready, READY), (turn1, ANSWERS[0]), (own, ANSWERS[2])]
        assert [e["turn_id"] for e in after["evaluations"]] == [turn1, own]
        parent_now = app.http.get(f"/api/sessions/{parent}").json()
        assert [t["text"] for t in parent_now["turns"] if t["role"] == "user"] == [READY, *ANSWERS[:2]]
        assert disagreements(app.url) == {}
