"""The HTTP API on a small Starlette app with a real SQLite database and checkpointer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint
from starlette.applications import Starlette
from starlette.testclient import TestClient

import storage
from graph.registry import workflow_names
from voice_agent.api import owner_of, routes
from voice_agent.auth import create_token
from voice_agent.settings import Settings

TOKEN = "s3cret-token"


def seed(url: str) -> None:
    """Two sessions (one owned by TOKEN, one by someone else) with turns, evaluations, report, checkpoints."""
    db = storage.Database.connect(url)
    db.upgrade()
    mine, theirs = owner_of(TOKEN), owner_of("other-token")
    storage.create_session(
        db=db, thread_id="t-old", workflow="interview", options={"role": "sre"}, owner=theirs
    )
    storage.create_session(
        db=db, thread_id="t-new", workflow="interview", options={"role": "dev"}, owner=mine
    )
    storage.add_turn(db=db, thread_id="t-new", turn_id="u1", role="user", text="I like queues.")
    storage.add_turn(
        db=db,
        thread_id="t-new",
        turn_id="u1",
        role="agent",
        text="Nice. Why queues over streams?",
        heard_text="Nice.",
        interrupted=True,
    )
    storage.set_turn_metrics(
        db=db, thread_id="t-new", turn_id="u1", metrics={"stt_ms": 90, "response_ms": 640}
    )
    storage.add_evaluation(
        db=db,
        thread_id="t-new",
        turn_id="u1",
        payload={"question_index": 0, "score": 7, "strengths": ["concrete"], "improvements": ["trade-offs"]},
    )
    storage.add_tool_call(db=db, thread_id="t-new", turn_id="u1", name="search_questions", status="end")
    storage.save_report(db=db, thread_id="t-new", report={"overall": 7, "summary": "Solid basics."})
    db.dispose()

    async def checkpoints() -> None:
        async with storage.open_checkpointer(url) as saver:
            for thread_id in ("t-old", "t-new"):
                checkpoint = empty_checkpoint()
                config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
                await saver.aput(config, checkpoint, {"source": "input", "step": -1, "parents": {}}, {})

    asyncio.run(checkpoints())


def settings(token: str | None) -> Settings:
    return Settings.model_validate({"token": token})


def build_app(url: str, settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db = storage.Database.connect(url)
        async with storage.open_checkpointer(url) as saver:
            app.state.checkpointer = saver
            yield
        app.state.db.dispose()

    return Starlette(routes=routes(), lifespan=lifespan)


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"
    seed(url)
    return url


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    with TestClient(build_app(url, settings(None))) as client:
        yield client


def checkpoint_threads(url: str) -> set[str]:
    async def threads() -> set[str]:
        async with storage.open_checkpointer(url) as saver:
            return {c.config["configurable"]["thread_id"] async for c in saver.alist(None)}

    return asyncio.run(threads())


def test_list_sessions_newest_first(client: TestClient) -> None:
    response = client.get("/api/sessions")
    assert response.status_code == 200
    sessions = response.json()["sessions"]
    assert [s["thread_id"] for s in sessions] == ["t-new", "t-old"]
    assert sessions[0]["turn_count"] == 2 and sessions[0]["workflow"] == "interview"
    assert [s["thread_id"] for s in client.get("/api/sessions?limit=1").json()["sessions"]] == ["t-new"]
    assert client.get("/api/sessions?limit=x").json()["error"]["code"] == "bad_field"


def test_get_session_has_turns_evaluations_and_report(client: TestClient) -> None:
    body = client.get("/api/sessions/t-new").json()
    assert body["session"]["options"] == {"role": "dev"}
    assert [(t["role"], t["heard_text"], t["interrupted"]) for t in body["turns"]] == [
        ("user", None, False),
        ("agent", "Nice.", True),
    ]
    assert body["turns"][1]["metrics"] == {"stt_ms": 90, "response_ms": 640}
    assert body["evaluations"][0]["payload"]["score"] == 7
    assert body["tool_calls"][0]["name"] == "search_questions"
    assert body["report"] == {"overall": 7, "summary": "Solid basics."}


def test_unknown_thread_is_a_json_404(client: TestClient) -> None:
    for method, path in [
        ("GET", "/api/sessions/nope"),
        ("DELETE", "/api/sessions/nope"),
        ("GET", "/api/sessions/nope/export"),
        ("GET", "/api/sessions/nope/history"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "unknown_thread"
        assert "nope" in response.json()["error"]["message"]


def test_json_export_round_trips(client: TestClient) -> None:
    shown = client.get("/api/sessions/t-new").json()
    response = client.get("/api/sessions/t-new/export?format=json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    exported = json.loads(response.text)
    assert exported.pop("exported_at")
    assert exported == shown


def test_markdown_export_marks_what_was_heard(client: TestClient) -> None:
    response = client.get("/api/sessions/t-new/export", params={"format": "md"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    text = response.text
    assert text.startswith("# Interview session `t-new`")
    assert "**You:** I like queues." in text
    assert "**Agent:** Nice. *[interrupted]* ~~Why queues over streams?~~" in text
    assert "## Evaluations" in text and "Score 7" in text and "trade-offs" in text
    assert "## Report" in text and "Solid basics." in text
    assert "response 640 ms" in text
    assert client.get("/api/sessions/t-new/export?format=pdf").status_code == 400


def test_history_lists_checkpoints(client: TestClient) -> None:
    body = client.get("/api/sessions/t-new/history").json()
    assert [(c["source"], c["step"]) for c in body["checkpoints"]] == [("input", -1)]


def test_delete_removes_rows_and_checkpoints(client: TestClient, url: str) -> None:
    response = client.delete("/api/sessions/t-new")
    assert response.status_code == 200 and response.json() == {"deleted": True, "thread_id": "t-new"}
    assert client.get("/api/sessions/t-new").status_code == 404
    assert client.delete("/api/sessions/t-new").status_code == 404
    assert [s["thread_id"] for s in client.get("/api/sessions").json()["sessions"]] == ["t-old"]
    assert checkpoint_threads(url) == {"t-old"}


def test_the_shared_token_is_admin_and_required(url: str) -> None:
    with TestClient(build_app(url, settings(TOKEN))) as client:
        for headers, params in [({}, {}), ({"Authorization": "Bearer wrong"}, {}), ({}, {"token": "wrong"})]:
            response = client.get("/api/sessions", headers=headers, params=params)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        listed = client.get("/api/sessions", headers=auth).json()["sessions"]
        assert [s["thread_id"] for s in listed] == ["t-new", "t-old"]  # admin: everyone's
        assert client.get("/api/sessions/t-old", params={"token": TOKEN}).status_code == 200
        assert client.delete("/api/sessions/t-old", headers=auth).status_code == 200
    assert checkpoint_threads(url) == {"t-new"}


def add_session(url: str, thread_id: str, owner: str) -> None:
    db = storage.Database.connect(url)
    storage.create_session(db=db, thread_id=thread_id, workflow="english", options={}, owner=owner)
    storage.add_turn(db=db, thread_id=thread_id, turn_id="u1", role="user", text=f"I am {owner}.")
    db.dispose()

    async def checkpoint() -> None:
        async with storage.open_checkpointer(url) as saver:
            config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
            await saver.aput(config, empty_checkpoint(), {"source": "input", "step": -1, "parents": {}}, {})

    asyncio.run(checkpoint())


SECRET = "hmac-key-of-this-deployment-0123456789"


def test_two_users_see_only_their_own_sessions(url: str) -> None:
    add_session(url, "a1", "alice")
    add_session(url, "b1", "bob")
    both = Settings.model_validate({"token": TOKEN, "token_secret": SECRET})
    alice = {"Authorization": f"Bearer {create_token(user='alice', secret=SECRET)}"}
    bob = {"Authorization": f"Bearer {create_token(user='bob', secret=SECRET)}"}
    with TestClient(build_app(url, both)) as client:

        def listed(headers: dict[str, str]) -> list[str]:
            return [s["thread_id"] for s in client.get("/api/sessions", headers=headers).json()["sessions"]]

        assert listed(alice) == ["a1"] and listed(bob) == ["b1"]
        assert client.get("/api/sessions/a1", headers=alice).json()["turns"][0]["text"] == "I am alice."
        unknown = client.get("/api/sessions/never-was", headers=alice)
        for method, path, body in [
            ("GET", "/api/sessions/b1", None),
            ("GET", "/api/sessions/b1/export?format=md", None),
            ("GET", "/api/sessions/b1/export?format=json", None),
            ("GET", "/api/sessions/b1/history", None),
            ("POST", "/api/sessions/b1/fork", {"checkpoint_id": "anything"}),
            ("DELETE", "/api/sessions/b1", None),
        ]:
            response = client.request(method, path, headers=alice, json=body)
            # someone else's session looks exactly like one that does not exist
            assert response.status_code == 404, path
            assert response.json() == {"error": {**unknown.json()["error"], "message": "no session 'b1'"}}, (
                path
            )
        assert listed(bob) == ["b1"]  # nothing of bob's was touched
        assert "I am bob." in client.get("/api/sessions/b1/export?format=md", headers=bob).text
        assert client.delete("/api/sessions/a1", headers=alice).status_code == 200
        assert listed(alice) == [] and listed(bob) == ["b1"]
        # the admin token still sees everyone's
        assert set(listed({"Authorization": f"Bearer {TOKEN}"})) == {"t-new", "t-old", "b1"}
        # tokens that are not valid: another key, expired, garbage, another issuer
        for token in [
            create_token(user="alice", secret="someone-elses-key-0123456789abcdefghij"),
            create_token(user="alice", secret=SECRET, ttl_s=60, now=time.time() - 3600),
            "not-a-jwt",
        ]:
            response = client.get("/api/sessions", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, token
    issuer = Settings.model_validate({"token_secret": SECRET, "token_issuer": "https://id.example"})
    with TestClient(build_app(url, issuer)) as client:
        plain = create_token(user="bob", secret=SECRET)
        signed = create_token(user="bob", secret=SECRET, issuer="https://id.example")
        assert client.get("/api/sessions", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
        response = client.get("/api/sessions", headers={"Authorization": f"Bearer {signed}"})
        assert [s["thread_id"] for s in response.json()["sessions"]] == ["b1"]


def test_fork_needs_a_checkpoint_id(client: TestClient) -> None:
    assert client.post("/api/sessions/t-new/fork", json={}).json()["error"]["code"] == "bad_field"
    assert client.post("/api/sessions/t-new/fork", content=b"{").json()["error"]["code"] == "bad_json"
    missing = client.post("/api/sessions/t-new/fork", json={"checkpoint_id": "nope"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_checkpoint"
    assert client.post("/api/sessions/nope/fork", json={"checkpoint_id": "x"}).status_code == 404


def test_database_down_is_a_json_503(url: str, tmp_path: Path) -> None:
    app = build_app(url, settings(None))
    with TestClient(app) as client:
        (tmp_path / "gone").mkdir()
        app.state.db = storage.Database.connect(f"sqlite:///{tmp_path / 'gone'}")
        response = client.get("/api/sessions")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "unavailable"


def test_workflows(client: TestClient) -> None:
    workflows = client.get("/api/workflows").json()["workflows"]
    assert [w["name"] for w in workflows] == workflow_names()  # spec workflows too, in registry order
