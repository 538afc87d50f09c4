"""The storage-backed tools against a real SQLite database, both as plain async functions (what graph
nodes call) and as LangChain tools (what a model calls, with plumbing args injected)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from pydantic import BaseModel

import storage
from tools import TOOLS, db_tools
from voice_io.errors import ToolError

QUESTIONS = [
    {"id": "se-conflict", "role": "software engineer", "competency": "conflict", "difficulty": 2,
     "kind": "behavioural", "text": "Tell me about a time you disagreed with a colleague.",
     "key_points": ["disagreement", "listened", "compromise"]},
    {"id": "se-index", "role": "software engineer", "competency": "databases", "difficulty": 3,
     "kind": "technical", "text": "What is a database index?", "key_points": ["b-tree", "slower writes"]},
    {"id": "gen-weakness", "role": "general", "competency": "self-awareness", "difficulty": 1,
     "kind": "behavioural", "text": "What is your greatest weakness?", "key_points": ["real weakness"]},
]
PHRASES = [
    {"id": "p1", "level": "B1", "topic": "work", "text": "to meet a deadline", "meaning": "finish on time",
     "example": "We met the deadline."},
    {"id": "p2", "level": "B1", "topic": "opinions", "text": "if you ask me", "meaning": "in my opinion",
     "example": "If you ask me, it's too expensive."},
    {"id": "p3", "level": "A2", "topic": "work", "text": "I work as", "meaning": "my job is",
     "example": "I work as a nurse."},
]
STRONG = ("Last year at my previous company I disagreed with a colleague about the release plan. I "
          "listened to her concerns and I proposed a compromise: we shipped the safe part first. As a "
          "result we released on time and cut rollbacks by 50 percent.")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[storage.Database]:
    database = storage.Database.connect(f"sqlite:///{tmp_path}/t.db")
    database.upgrade()
    storage.replace_questions(db=database, questions=QUESTIONS)
    storage.replace_phrases(db=database, phrases=PHRASES)
    yield database
    database.dispose()


def tool(name: str) -> BaseTool:
    return next(t for t in TOOLS if t.name == name)


# --------------------------------------------------------------------------- model-facing schema


@pytest.mark.parametrize(
    ("name", "visible", "hidden"),
    [
        ("search_questions", {"role", "competency", "difficulty"}, {"db", "exclude_ids"}),
        ("score_answer", {"question_id", "answer"}, {"db", "fluency"}),
        ("get_progress", {"workflow"}, {"db", "learner"}),
        ("find_phrases", {"level", "topic"}, {"db", "exclude_ids"}),
        ("save_report", {"report"}, {"db", "thread_id"}),
    ],
)
def test_injected_args_are_hidden_from_the_model(name: str, visible: set[str], hidden: set[str]) -> None:
    model = tool(name).tool_call_schema
    assert isinstance(model, type) and issubclass(model, BaseModel)
    schema = model.model_json_schema()
    assert set(schema["properties"]) == visible
    assert tool(name).description and "Args:" not in tool(name).description
    assert all(prop.get("description") for prop in schema["properties"].values())
    assert not hidden & set(schema["properties"])


def test_tools_have_distinct_names() -> None:
    names = [t.name for t in TOOLS]
    assert sorted(names) == ["find_phrases", "get_progress", "save_report", "score_answer",
                             "search_questions"]


# --------------------------------------------------------------------------- plain async functions


async def test_search_questions_filters_and_falls_back_to_generic(db: storage.Database) -> None:
    found = await db_tools.search_questions(db=db, role="Software Engineer")
    assert [q["id"] for q in found] == ["se-conflict", "se-index", "gen-weakness"]
    hard = await db_tools.search_questions(db=db, role="software engineer", difficulty=3)
    assert [q["id"] for q in hard] == ["se-index"]
    rest = await db_tools.search_questions(db=db, role="software engineer", exclude_ids=["se-conflict"])
    assert "se-conflict" not in [q["id"] for q in rest]
    assert rest[0]["key_points"] == ["b-tree", "slower writes"]  # the whole designer item comes back


async def test_score_answer_loads_the_question_and_uses_the_rubric(db: storage.Database) -> None:
    strong = await db_tools.score_answer(db=db, question_id="se-conflict", answer=STRONG)
    vague = await db_tools.score_answer(db=db, question_id="se-conflict", answer="I get along with everyone.")
    assert strong["question_id"] == "se-conflict"
    assert strong["score"] > vague["score"] + 3
    assert "situation" in strong["criteria"] and "result" in vague["missing"]
    with_fluency = await db_tools.score_answer(db=db, question_id="se-conflict", answer=STRONG,
                                               fluency={"fillers_per_100_words": 14.0})
    assert with_fluency["criteria"]["fluency"] <= 3


async def test_unknown_question_is_a_clear_tool_error(db: storage.Database) -> None:
    with pytest.raises(ToolError, match="no question with id 'nope'"):
        await db_tools.score_answer(db=db, question_id="nope", answer=STRONG)


async def test_get_progress_reports_scores_weaknesses_and_trend(db: storage.Database) -> None:
    for i, (score, result) in enumerate([(3.0, 2), (4.0, 3), (7.0, 4), (8.0, 8)]):
        thread = f"t{i}"
        storage.create_session(db=db, thread_id=thread, workflow="interview", options={"user": "ana"})
        storage.add_evaluation(db=db, thread_id=thread, turn_id="u1",
                               payload={"score": score, "criteria": {"result": result, "action": 8}})
    storage.create_session(db=db, thread_id="other", workflow="interview", options={"user": "bob"})
    progress = await db_tools.get_progress(db=db, learner="ana", workflow="interview")
    assert progress["sessions"] == 4
    assert sorted(progress["recent_scores"]) == [3.0, 4.0, 7.0, 8.0]
    assert progress["weaknesses"][0] == {"criterion": "result", "count": 3}
    assert progress["trend"] == "improving"
    empty = await db_tools.get_progress(db=db, learner="nobody", workflow="interview")
    assert empty["sessions"] == 0 and empty["trend"] is None


def test_score_trend() -> None:
    assert db_tools.score_trend([]) is None and db_tools.score_trend([5.0]) is None
    assert db_tools.score_trend([8.0, 7.0, 5.0, 4.0]) == "declining"
    assert db_tools.score_trend([6.0, 6.2, 6.1, 6.0]) == "steady"


async def test_find_phrases_by_level_and_topic_with_fallback(db: storage.Database) -> None:
    work = await db_tools.find_phrases(db=db, level="b1", topic="work")
    assert [p["id"] for p in work] == ["p1"]
    fallback = await db_tools.find_phrases(db=db, level="B1", topic="space travel")
    assert [p["id"] for p in fallback] == ["p1", "p2"]
    assert await db_tools.find_phrases(db=db, level="C2") == []


async def test_save_report_persists(db: storage.Database) -> None:
    storage.create_session(db=db, thread_id="t1", workflow="interview", options={})
    result = await db_tools.save_report(db=db, thread_id="t1", report={"summary": "Good", "score": 7.5})
    assert result == {"saved": True, "thread_id": "t1"}
    assert storage.get_report(db=db, thread_id="t1") == {"summary": "Good", "score": 7.5}


async def test_storage_failure_becomes_a_tool_error(tmp_path: Path) -> None:
    broken = storage.Database.connect(f"sqlite:///{tmp_path}/empty.db")  # never upgraded: no tables
    try:
        with pytest.raises(ToolError, match="search_questions: the database failed") as info:
            await db_tools.search_questions(db=broken, role="nurse")
        assert info.value.code == "tool_failed" and not info.value.fatal
        with pytest.raises(ToolError, match="save_report"):
            await db_tools.save_report(db=broken, thread_id="t", report={})
    finally:
        broken.dispose()


# --------------------------------------------------------------------------- as LangChain tools


async def test_tools_run_with_injected_args(db: storage.Database) -> None:
    found = await tool("search_questions").ainvoke({"role": "software engineer", "difficulty": 2, "db": db})
    assert [q["id"] for q in found] == ["se-conflict"]
    scored = await tool("score_answer").ainvoke({"question_id": "se-index", "answer": "It makes it fast.",
                                                 "db": db})
    assert scored["score"] <= 4 and "depth" in scored["missing"]
    storage.create_session(db=db, thread_id="t9", workflow="english", options={"user": "ana"})
    saved = await tool("save_report").ainvoke({"report": {"level": "B1"}, "db": db, "thread_id": "t9"})
    assert saved["saved"] and storage.get_report(db=db, thread_id="t9") == {"level": "B1"}
    progress = await tool("get_progress").ainvoke({"workflow": "english", "db": db, "learner": "ana"})
    assert progress["sessions"] == 1


async def test_a_model_tool_call_gets_a_json_tool_message(db: storage.Database) -> None:
    call = {"type": "tool_call", "id": "call-1", "name": "find_phrases",
            "args": {"level": "B1", "topic": "opinions", "db": db}}
    message = await tool("find_phrases").ainvoke(call)
    assert isinstance(message, ToolMessage) and message.tool_call_id == "call-1"
    assert json.loads(message.content)[0]["text"] == "if you ask me"  # type: ignore[arg-type]


async def test_tool_errors_reach_the_caller(db: storage.Database) -> None:
    with pytest.raises(ToolError, match="no question"):
        await tool("score_answer").ainvoke({"question_id": "missing", "answer": "x", "db": db})


async def test_a_tool_call_without_the_injected_db_says_so() -> None:
    with pytest.raises(ToolError, match="search_questions: no database"):
        await tool("search_questions").ainvoke({"role": "nurse"})
