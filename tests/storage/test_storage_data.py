"""The data functions of docs/CONTRACTS.md against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from storage import (
    Database,
    IntegrityViolation,
    add_evaluation,
    add_tool_call,
    add_turn,
    create_session,
    delete_session,
    get_progress,
    get_report,
    get_session,
    list_evaluations,
    list_sessions,
    list_tool_calls,
    list_turns,
    replace_phrases,
    replace_questions,
    save_report,
    search_phrases,
    search_questions,
    set_session_status,
    set_turn_metrics,
)


def test_session_round_trip(db: Database) -> None:
    created = create_session(
        db=db, thread_id="t1", workflow="interview", options={"role": "backend engineer"}, owner="o1"
    )
    assert created["thread_id"] == "t1"
    assert created["status"] == "active"
    assert created["learner"] == "o1"  # no options["user"]: the owner
    fetched = get_session(db=db, thread_id="t1")
    assert fetched == created
    assert fetched is not None and fetched["created_at"].endswith("+00:00")
    json.dumps(fetched)  # plain JSON-able

    set_session_status(db=db, thread_id="t1", status="ended")
    ended = get_session(db=db, thread_id="t1")
    assert ended is not None and ended["status"] == "ended"
    assert ended["updated_at"] >= created["updated_at"]
    with pytest.raises(ValueError):
        set_session_status(db=db, thread_id="t1", status="paused")
    assert get_session(db=db, thread_id="nope") is None


def test_learner_key(db: Database) -> None:
    a = create_session(db=db, thread_id="a", workflow="w", options={"user": " ana "}, owner="o")
    b = create_session(db=db, thread_id="b", workflow="w", options={})
    c = create_session(db=db, thread_id="c", workflow="w", options={}, learner="explicit")
    assert (a["learner"], b["learner"], c["learner"]) == ("ana", "anonymous", "explicit")


def test_list_sessions_newest_first_with_owner_filter_and_turn_count(db: Database) -> None:
    for n in range(4):
        create_session(
            db=db, thread_id=f"t{n}", workflow="interview", options={}, owner="a" if n % 2 else "b"
        )
    add_turn(db=db, thread_id="t3", turn_id="u1", role="user", text="hello")
    add_turn(db=db, thread_id="t3", turn_id="u1", role="agent", text="hi")
    listed = list_sessions(db=db)
    assert [s["thread_id"] for s in listed] == ["t3", "t2", "t1", "t0"]
    assert listed[0]["turn_count"] == 2 and listed[1]["turn_count"] == 0
    assert [s["thread_id"] for s in list_sessions(db=db, owner="a")] == ["t3", "t1"]
    assert [s["thread_id"] for s in list_sessions(db=db, limit=1)] == ["t3"]


def test_turns_metrics_and_heard_text(db: Database) -> None:
    create_session(db=db, thread_id="t", workflow="interview", options={})
    add_turn(db=db, thread_id="t", turn_id="u1", role="user", text="I built a queue", fluency={"wpm": 120})
    # the waterfall arrives with the first agent audio, before the agent's row exists
    set_turn_metrics(db=db, thread_id="t", turn_id="u1", metrics={"stt_ms": 80.0, "response_ms": 700.0})
    add_turn(
        db=db,
        thread_id="t",
        turn_id="u1",
        role="agent",
        text="Great. Tell me about retries.",
        heard_text="Great.",
        interrupted=True,
    )
    set_turn_metrics(db=db, thread_id="t", turn_id="u1", metrics={"tts_first_audio_ms": 120.0})
    turns = list_turns(db=db, thread_id="t")
    assert [(t["role"], t["text"]) for t in turns] == [
        ("user", "I built a queue"),
        ("agent", "Great. Tell me about retries."),
    ]
    assert turns[0]["fluency"] == {"wpm": 120}
    assert turns[1]["heard_text"] == "Great." and turns[1]["interrupted"] is True
    assert turns[0]["interrupted"] is False and turns[0]["heard_text"] is None
    assert turns[1]["metrics"] == {"stt_ms": 80.0, "response_ms": 700.0, "tts_first_audio_ms": 120.0}
    with pytest.raises(ValueError):
        add_turn(db=db, thread_id="t", turn_id="u2", role="system", text="x")


def test_writes_for_an_unknown_thread_are_refused(db: Database) -> None:
    with pytest.raises(IntegrityViolation):
        add_turn(db=db, thread_id="ghost", turn_id="u1", role="user", text="hi")


def test_evaluations_tool_calls_and_report(db: Database) -> None:
    create_session(db=db, thread_id="t", workflow="interview", options={})
    add_evaluation(
        db=db, thread_id="t", turn_id="u1", payload={"question_index": 0, "score": 7, "criteria": {}}
    )
    add_evaluation(db=db, thread_id="t", turn_id="u2", payload={"progress": "halfway"})
    evaluations = list_evaluations(db=db, thread_id="t")
    assert [e["score"] for e in evaluations] == [7.0, None]
    assert evaluations[0]["payload"] == {"question_index": 0, "score": 7, "criteria": {}}
    assert evaluations[1]["turn_id"] == "u2"

    add_tool_call(db=db, thread_id="t", turn_id="u1", name="lookup", status="start", args={"q": "x"})
    add_tool_call(db=db, thread_id="t", turn_id="u1", name="lookup", status="error", error="timeout")
    calls = list_tool_calls(db=db, thread_id="t")
    assert [(c["status"], c["args"], c["error"]) for c in calls] == [
        ("start", {"q": "x"}, None),
        ("error", None, "timeout"),
    ]

    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    add_tool_call(
        db=db, thread_id="t", turn_id="u2", name="clock", status="end", result={"now": when, "ok": "é"}
    )
    assert list_tool_calls(db=db, thread_id="t")[-1]["result"] == {"now": str(when), "ok": "é"}

    assert get_report(db=db, thread_id="t") is None
    save_report(db=db, thread_id="t", report={"overall": 6})
    save_report(db=db, thread_id="t", report={"overall": 7, "summary": "good"})
    assert get_report(db=db, thread_id="t") == {"overall": 7, "summary": "good"}


def test_delete_session_removes_every_row(db: Database) -> None:
    create_session(db=db, thread_id="t", workflow="interview", options={})
    create_session(db=db, thread_id="keep", workflow="interview", options={})
    add_turn(db=db, thread_id="t", turn_id="u1", role="user", text="x")
    set_turn_metrics(db=db, thread_id="t", turn_id="u1", metrics={"stt_ms": 1})
    add_evaluation(db=db, thread_id="t", turn_id="u1", payload={"score": 5})
    add_tool_call(db=db, thread_id="t", turn_id="u1", name="n", status="end")
    save_report(db=db, thread_id="t", report={"x": 1})
    add_turn(db=db, thread_id="keep", turn_id="u1", role="user", text="y")

    assert delete_session(db=db, thread_id="t") is True
    assert delete_session(db=db, thread_id="t") is False
    assert get_session(db=db, thread_id="t") is None
    assert list_turns(db=db, thread_id="t") == []
    assert list_evaluations(db=db, thread_id="t") == []
    assert list_tool_calls(db=db, thread_id="t") == []
    assert get_report(db=db, thread_id="t") is None
    assert [t["text"] for t in list_turns(db=db, thread_id="keep")] == ["y"]


QUESTIONS: list[dict[str, Any]] = [
    {"id": "be-1", "role": "Backend Engineer", "competency": "design", "difficulty": "easy", "text": "Q1",
     "follow_ups": ["why?"]},
    {"id": "be-2", "role": "backend engineer", "competency": "debugging", "difficulty": "hard", "text": "Q2",
     "follow_ups": []},
    {"id": "be-3", "role": "backend engineer", "competency": "design", "difficulty": "hard", "text": "Q3"},
    {"id": "gen-1", "role": "general", "competency": "teamwork", "difficulty": "easy", "text": "G1"},
    {"id": "fe-1", "role": "frontend engineer", "competency": "design", "difficulty": "easy", "text": "F1"},
]  # fmt: skip


def test_questions(db: Database) -> None:
    assert replace_questions(db=db, questions=QUESTIONS) == 5
    ids = [q["id"] for q in search_questions(db=db, role="backend engineer")]
    assert ids == ["be-1", "be-2", "be-3", "gen-1"]  # the role first, then generic ones
    design = search_questions(db=db, role="backend engineer", competency="Design")
    assert [q["id"] for q in design] == ["be-1", "be-3"]
    hard = search_questions(db=db, role="backend engineer", difficulty="hard", exclude_ids=["be-2"])
    assert [q["id"] for q in hard] == ["be-3"]
    assert [q["id"] for q in search_questions(db=db, role="backend engineer", limit=2)] == ["be-1", "be-2"]
    first = search_questions(db=db, role="backend engineer", limit=1)[0]
    assert first == QUESTIONS[0]  # extra fields come back whole
    # replacing drops the old content
    assert replace_questions(db=db, questions=QUESTIONS[3:]) == 2
    assert "be-1" not in [q["id"] for q in search_questions(db=db, role="backend engineer")]


def test_phrases(db: Database) -> None:
    phrases = [
        {"id": "p1", "level": "B1", "topic": "travel", "text": "a", "meaning": "m", "example": "e"},
        {"id": "p2", "level": "B1", "topic": "work", "text": "b", "meaning": "m", "example": "e"},
        {"id": "p3", "level": "C1", "topic": "work", "text": "c", "meaning": "m", "example": "e"},
    ]
    assert replace_phrases(db=db, phrases=phrases) == 3
    assert [p["id"] for p in search_phrases(db=db, level="b1")] == ["p1", "p2"]
    assert search_phrases(db=db, level="B1", topic="work") == [phrases[1]]
    assert [p["id"] for p in search_phrases(db=db, level="B1", exclude_ids=["p1"])] == ["p2"]


def test_progress_across_sessions(db: Database) -> None:
    assert get_progress(db=db, learner="ana", workflow="interview") == {
        "sessions": 0,
        "recent_scores": [],
        "average": None,
        "weaknesses": [],
    }
    create_session(db=db, thread_id="s1", workflow="interview", options={"user": "ana"})
    add_evaluation(db=db, thread_id="s1", turn_id="u1",
                   payload={"score": 4, "criteria": {"structure": 3, "depth": 5, "clarity": 8}})  # fmt: skip
    add_evaluation(db=db, thread_id="s1", turn_id="u2",
                   payload={"score": 6, "criteria": {"structure": 4, "depth": 7, "clarity": 6}})  # fmt: skip
    create_session(db=db, thread_id="s2", workflow="interview", options={"user": "ana"})
    add_evaluation(db=db, thread_id="s2", turn_id="u1",
                   payload={"score": 8, "criteria": {"structure": 5, "clarity": 2}})  # fmt: skip
    add_evaluation(db=db, thread_id="s2", turn_id="u2", payload={"note": "no score"})
    # other learners and workflows do not count
    create_session(db=db, thread_id="x", workflow="interview", options={"user": "bob"})
    add_evaluation(db=db, thread_id="x", turn_id="u1", payload={"score": 1, "criteria": {"depth": 1}})
    create_session(db=db, thread_id="y", workflow="phrases", options={"user": "ana"})
    add_evaluation(db=db, thread_id="y", turn_id="u1", payload={"score": 1, "criteria": {"depth": 1}})

    progress = get_progress(db=db, learner="ana", workflow="interview")
    assert progress == {
        "sessions": 2,
        "recent_scores": [4.0, 6.0, 8.0],
        "average": 6.0,
        "weaknesses": [
            {"criterion": "structure", "count": 3},
            {"criterion": "clarity", "count": 1},
            {"criterion": "depth", "count": 1},
        ],
    }
    only_latest = get_progress(db=db, learner="ana", workflow="interview", limit=1)
    assert only_latest["sessions"] == 1 and only_latest["recent_scores"] == [8.0]
