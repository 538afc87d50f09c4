"""Generated client messages of every type, over the real /ws endpoint with the real brain and
storage: whatever a client sends, the session never fails with `internal` or close 1011, and it
still answers `ping` afterwards."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import make_url

from tests.storage.conftest import ADMIN_URL
from tests.voice_agent.wsapp import Served, Socket, receive_until, running

TYPES = ["session.start", "text", "playback", "session.end", "ping"]
FIELDS = {
    "session.start": ["workflow", "thread_id", "sample_rate", "options"],
    "text": ["text"],
    "playback": ["utterance_id", "played_ms"],
    "session.end": [],
    "ping": ["t"],
}

# strings with what breaks naive code: lone surrogates, NUL, control and astral characters
nasty_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    ["\ud800abc", "\udfff", "a\x00b", "\U0001f600", "", "   ", "interview"]
)
numbers = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(allow_nan=True, allow_infinity=True)
scalars = st.none() | st.booleans() | numbers | nasty_text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=8,
)
plausible: dict[str, st.SearchStrategy[Any]] = {
    "workflow": st.sampled_from(["interview", "english", "intake", "nope"]) | json_values,
    "thread_id": st.none() | st.sampled_from(["\ud800abc", "unknown-thread-id"]) | json_values,
    "sample_rate": st.sampled_from([8000, 16000, 48000, 44100]) | json_values,
    "options": st.dictionaries(
        st.sampled_from(["role", "seniority", "questions", "level", "turns", "user", "x"]),
        json_values,
        max_size=3,
    )
    | json_values,
    "text": st.sampled_from(["I led a migration.", "mm-hm"]) | json_values,
    "utterance_id": json_values,
    "played_ms": numbers | json_values,
    "t": numbers | json_values,
}


@st.composite
def messages(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(TYPES) | nasty_text | json_values)
    message: dict[Any, Any] = {"type": kind}
    for name in FIELDS.get(kind, []) if isinstance(kind, str) else []:
        if draw(st.booleans()) or name == "workflow":
            message[name] = draw(plausible[name])
    message.update(draw(st.dictionaries(nasty_text, json_values, max_size=2)))
    if draw(st.integers(0, 9)) == 0:
        return json.dumps(draw(json_values))  # not an object at all
    return json.dumps(message)  # ensure_ascii: lone surrogates travel as \ud800 escapes; NaN as NaN


raw_frames = st.sampled_from(
    [
        '{"type":"playback","utterance_id":"u","played_ms":1e400}',
        '{"type":"ping","t":1e400}',
        '{"type":"session.start","workflow":"interview","sample_rate":1e400}',
        "{",
        "[" * 5000,
        '{"type":"text","text":"\\ud800"}',
    ]
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on SQLite, then on a fresh PostgreSQL database (NUL and surrogates fail differently)."""
    tmp = Path(tmp_path_factory.mktemp("inputs"))
    if request.param == "sqlite":
        with running(tmp) as app:
            yield app
        return
    name = f"va_test_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
            with running(tmp, database_url=url) as app:
                yield app
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def still_answers_ping(ws: Socket, sent: list[str]) -> None:
    ws.send_text(json.dumps({"type": "ping", "t": 424242.5}))
    seen = receive_until(ws, lambda m: m["type"] == "pong" and m.get("t") == 424242.5)
    errors = [m for m in seen if m["type"] == "error"]
    assert not [e for e in errors if e["code"] == "internal"], (sent, errors)
    assert not [e for e in errors if e["fatal"]], (sent, errors)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=st.lists(messages() | raw_frames, min_size=1, max_size=5))
def test_generated_messages_never_break_the_session(served: Served, frames: list[str]) -> None:
    with served.socket() as ws:
        for frame in frames:
            ws.send_text(frame)
        still_answers_ping(ws, frames)


def test_the_probe_findings(served: Served) -> None:
    """The inputs an outside probe found crashing the session (internal, 1011, or invalid JSON out)."""
    probes = [
        '{"type":"ping","t":NaN}',
        '{"type":"ping","t":Infinity}',
        '{"type":"playback","utterance_id":"u","played_ms":1e400}',
        '{"type":"playback","utterance_id":"u","played_ms":NaN}',
        '{"type":"playback","utterance_id":"u","played_ms":Infinity}',
    ]
    with served.socket() as ws:
        # before any conversation: the thread id and the options go to storage
        for start in (
            '{"type":"session.start","workflow":"interview","thread_id":"\\ud800abc"}',
            '{"type":"session.start","workflow":"interview","options":{"user":"ana\\udc00"}}',
        ):
            ws.send_text(start)
            seen = receive_until(ws, lambda m: m["type"] in ("error", "session.started"))
            assert seen[-1]["type"] == "error" and seen[-1]["code"] == "bad_field", seen[-1]
        ws.send_text('{"type":"session.start","workflow":"interview","thread_id":null}')
        receive_until(ws, lambda m: m["type"] == "session.started")
        for probe in probes:
            ws.send_text(probe)
            seen = receive_until(ws, lambda m: m["type"] in ("error", "pong"))
            assert seen[-1]["type"] == "error", (probe, seen[-1])
            assert seen[-1]["code"] == "bad_field" and not seen[-1]["fatal"], (probe, seen[-1])
        still_answers_ping(ws, probes)


def test_session_start_options_go_through_the_workflows_options_model(tmp_path: Path) -> None:
    """A bad option is named in a non-fatal bad_field; good ones are taken as typed and stored typed."""

    def start(ws: Socket, options: dict[str, Any]) -> dict[str, Any]:
        ws.send_text(json.dumps({"type": "session.start", "workflow": "interview", "thread_id": None,
                                 "options": options}))
        return receive_until(ws, lambda m: m["type"] in ("error", "session.started"))[-1]

    with running(tmp_path) as app, app.socket() as ws:
        for options, problem in (
            ({"questions": 11}, "option 'questions': input should be less than or equal to 10, got 11"),
            ({"seniority": "boss"}, "option 'seniority': input should be 'junior', 'mid' or 'senior'"),
            ({"colour": "red"}, "workflow 'interview' has no option 'colour'"),
        ):
            error = start(ws, options)
            assert (error["type"], error["code"], error["fatal"]) == ("error", "bad_field", False), error
            assert problem in error["message"], error
        started = start(ws, {"questions": "2", "seniority": " Senior ", "user": ""})
        assert started["type"] == "session.started", started
        session = app.http.get(f"/api/sessions/{started['thread_id']}").json()["session"]
        assert session["options"] == {
            "role": "behavioural", "seniority": "senior", "questions": 2, "follow_ups": 1, "user": None,
        }
