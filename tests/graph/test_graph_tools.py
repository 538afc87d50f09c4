"""Tools the model chooses, over real HTTP (the OpenAI-compatible test server): the model asks for a
tool, LangGraph's ToolNode really runs it (the real scorer, the real SQLite database through the
StorageRecorder), the result reaches the model's next request and the reply, and every call is a
`tool` event and a stored tool call. Bad arguments, a raising tool, an unknown tool and a model that
times out each give a clear result and never lose the turn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import text

import storage
from graph.llm import build_chat_model
from graph.responder import GraphResponder
from graph.workflows.english.content import phrase_dicts
from graph.workflows.interview.bank import question_dicts
from graph.workflows.interview.scoring import evaluate
from tests.fakes import start_interview
from tests.graph.conftest import GOOD, collect, notices, spoken, turn
from tests.graph.openai_server import Scripted, serve


@pytest.fixture
def db(tmp_path: Path) -> Iterator[storage.Database]:
    database = storage.Database.connect(f"sqlite:///{tmp_path / 'app.db'}")
    database.upgrade()
    storage.replace_questions(db=database, questions=question_dicts())
    storage.replace_phrases(db=database, phrases=phrase_dicts())
    # an earlier session of learner "ada": two scored answers
    storage.create_session(db=database, thread_id="before", workflow="interview", options={}, learner="ada")
    for score in (5.0, 7.0):
        storage.add_evaluation(db=database, thread_id="before", turn_id=None,
                               payload={"score": score, "criteria": {"structure": 4, "impact": 8}})
    yield database
    database.dispose()


def model(base_url: str) -> Any:
    return build_chat_model(provider="openai", base_url=base_url, api_key="test-key", max_tokens=120,
                            temperature=0.0, timeout_s=5)


def tool_results_in(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool messages the model was sent in one request."""
    return [m for m in body.get("messages", []) if m.get("role") == "tool"]


def agent(*steps: Any) -> Any:
    """A route for the test server: requests that carry tools get `steps` in order; once a step is
    a callable it is called with the request (to answer from the tool results it was sent)."""
    queue = list(steps)

    def route(body: dict[str, Any]) -> Any:
        if not body.get("tools") and not tool_results_in(body):
            return None
        step = queue.pop(0) if queue else "Okay."
        return step(body) if callable(step) else step

    return route


async def open_interview(base_url: str, db: storage.Database, llm_timeout_s: float = 5.0) -> Any:
    writer = storage.BackgroundWriter(db=db)
    responder = GraphResponder(chat_model=None, tool_model=model(base_url), checkpointer=InMemorySaver(),
                               recorder=storage.StorageRecorder(db=db, writer=writer),
                               llm_timeout_s=llm_timeout_s)
    conversation = await responder.open(workflow="interview", thread_id=None, options={
        "role": "backend engineer", "questions": 3, "follow_ups": 0, "user": "ada"})
    await start_interview(conversation)  # the greeting, "I'm ready", question 1
    return conversation


def statuses(events: list[Any], name: str | None = None) -> list[str]:
    return [t["status"] for t in notices(events, "tool") if name is None or t["name"] == name]


async def test_the_model_scores_through_the_tool_node_then_answers_from_learner_progress(db) -> None:
    def progress_reply(body: dict[str, Any]) -> str:
        result = json.loads(tool_results_in(body)[-1]["content"])
        now, before = result["this_session"], result["earlier_sessions"]
        return (f"You have answered {now['answered']} question with a score of {now['scores'][0]}, "
                f"and your average last time was {before['average']}.")

    script = Scripted()
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        question = conversation.values["current_question"]
        script.route = agent({"tool": "score_answer", "args": {"question_id": question["id"]}},
                             {"tool": "learner_progress", "args": {}}, progress_reply)
        scored = await collect(conversation.reply(turn(GOOD)))
        asked = conversation.values["asked_text"]
        events = await collect(conversation.reply(turn("How am I doing so far?")))
        await conversation.close()

    # the answer: the model's forced score_answer call ran the real scorer in the ToolNode
    score_request = script.requests[0]
    assert [t["function"]["name"] for t in score_request["tools"]] == ["score_answer"]
    assert score_request["tool_choice"]["function"]["name"] == "score_answer"
    assert statuses(scored) == ["start", "end"]
    expected = evaluate(question=question, answer=GOOD, fluency=None)["score"]
    assert notices(scored, "evaluation")[0]["score"] == expected
    # the question to the coach: learner_progress ran, its result went back to the model, into the reply
    names = {t["function"]["name"] for t in script.requests[1]["tools"]}
    assert names == {"score_answer", "search_questions", "learner_progress"}
    assert statuses(events, "learner_progress") == ["start", "end"]
    said = spoken(events)
    assert said.startswith(f"You have answered 1 question with a score of {expected}, and your average "
                           "last time was 6.0.")
    assert said.endswith(asked) and conversation.values["question_index"] == 2
    messages = conversation.values["messages"]
    call = next(m for m in messages if isinstance(m, AIMessage) and m.tool_calls
                and m.tool_calls[0]["name"] == "learner_progress")
    answer = next(m for m in messages if isinstance(m, ToolMessage) and m.name == "learner_progress")
    assert answer.tool_call_id == call.tool_calls[0]["id"]
    assert answer.artifact["this_session"]["answered"] == 1
    calls = storage.list_tool_calls(db=db, thread_id=conversation.thread_id)
    assert [c["name"] for c in calls if c["name"] != "classify_turn"] == ["score_answer", "learner_progress"]
    assert calls[-1]["result"]["earlier_sessions"]["sessions"] == 1


async def test_a_harder_question_on_a_subject_comes_from_search_questions(db) -> None:
    script = Scripted(route=agent({"tool": "search_questions", "args": {"competency": "databases",
                                                                        "difficulty": 3}},
                                  "Sure, here is a harder one about databases."))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        index = conversation.values["question_index"]
        events = await collect(conversation.reply(turn("Can you give me a harder question about databases?")))
        await conversation.close()
    found = json.loads(tool_results_in(script.requests[1])[-1]["content"])
    assert found and all(q["competency"] == "databases" for q in found) and found[0]["difficulty"] == 3
    question = conversation.values["current_question"]
    assert question["id"] == found[0]["id"] and conversation.values["question_index"] == index
    assert conversation.values["asked_ids"][-1] == question["id"]
    said = spoken(events)
    assert said.startswith("Sure, here is a harder one about databases.") and said.endswith(question["text"])
    assert statuses(events) == ["start", "end"] and not notices(events, "error")


@pytest.mark.parametrize(("bad", "reason"), [
    ({"question_id": 42}, "should be a valid string"),  # the wrong type: the tool never runs
    ({"question_id": "be-nope"}, "is not the question"),  # the tool raises on it
    ({}, "question_id"),                                  # a required argument missing
])
async def test_bad_score_arguments_fall_back_to_the_direct_call(db, bad: dict[str, Any], reason: str) -> None:
    script = Scripted(route=agent({"tool": "score_answer", "args": bad}))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        question = conversation.values["current_question"]
        events = await collect(conversation.reply(turn(GOOD)))
        await conversation.close()
    assert statuses(events) == ["start", "error", "start", "end"]  # the model's call, then the node's own
    failed = notices(events, "tool")[1]
    assert failed["name"] == "score_answer" and reason in failed["error"]
    assert [e["code"] for e in notices(events, "error")] == ["tool_failed"]
    assert notices(events, "evaluation")[0]["score"] == evaluate(question=question, answer=GOOD,
                                                                 fluency=None)["score"]
    assert conversation.values["question_index"] == 2  # on to the next question: nothing lost
    ids = [c["id"] for m in conversation.values["messages"] if isinstance(m, AIMessage) for c in m.tool_calls]
    answered = {m.tool_call_id for m in conversation.values["messages"] if isinstance(m, ToolMessage)}
    assert set(ids) <= answered  # no dangling call


async def test_a_raising_tool_and_an_unknown_tool_are_reported_to_the_model(db) -> None:
    def sorry(body: dict[str, Any]) -> str:
        results = tool_results_in(body)
        assert all(r["content"].startswith("Error:") for r in results)
        return "Sorry, I can't look that up right now."

    script = Scripted(route=agent({"tool": "learner_progress", "args": {}},
                                  {"tool": "drop_tables", "args": {}}, sorry))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        asked = conversation.values["asked_text"]
        with db.session() as s:  # the storage behind learner_progress breaks for real
            s.execute(text("DROP TABLE evaluations"))
        events = await collect(conversation.reply(turn("How am I doing so far?")))
    tools = notices(events, "tool")
    assert [(t["name"], t["status"]) for t in tools] == [
        ("learner_progress", "start"), ("learner_progress", "error"), ("drop_tables", "start"),
        ("drop_tables", "error")]
    assert "database" in tools[1]["error"].lower() or "evaluations" in tools[1]["error"]
    assert "not a valid tool" in tools[3]["error"]
    assert [e["code"] for e in notices(events, "error")] == ["tool_failed", "tool_failed"]
    said = spoken(events)
    assert said.startswith("Sorry, I can't look that up right now.") and said.endswith(asked)


async def test_search_questions_rejects_a_difficulty_out_of_range(db) -> None:
    script = Scripted(route=agent({"tool": "search_questions", "args": {"difficulty": 7}},
                                  "Let's stay with this question."))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        before = conversation.values["current_question"]["id"]
        events = await collect(conversation.reply(turn("Could you ask me something about databases?")))
    tools = notices(events, "tool")
    assert [t["status"] for t in tools] == ["start", "error"]
    assert "difficulty must be 1, 2 or 3" in tools[1]["error"]
    assert conversation.values["current_question"]["id"] == before
    assert spoken(events).startswith("Let's stay with this question.")


async def test_a_tool_model_that_times_out_leaves_the_nodes_to_call_the_tools(db) -> None:
    script = Scripted(route=agent({"delay_s": 2.0, "then": "late"}, {"delay_s": 2.0, "then": "late"}))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db, llm_timeout_s=0.3)
        scored = await collect(conversation.reply(turn(GOOD)))
        asked = conversation.values["asked_text"]
        asked_back = await collect(conversation.reply(turn("How am I doing so far?")))
    assert statuses(scored) == ["start", "end"] and notices(scored, "evaluation")  # scored directly
    assert [e["code"] for e in notices(scored, "error")] == ["llm_failed"]
    assert "timed out" in notices(scored, "error")[0]["message"]
    assert statuses(asked_back, "learner_progress") == ["start", "end"]  # the node called the tool itself
    said = spoken(asked_back)
    assert said.startswith("So far you've answered 1 question") and said.endswith(asked)


async def test_the_english_partner_finds_phrases_through_the_tool_node(db) -> None:
    def teach(body: dict[str, Any]) -> str:
        phrase = json.loads(tool_results_in(body)[-1]["content"])[0]
        return f"Try “{phrase['text']}”: it means {phrase['meaning']}."

    script = Scripted(route=agent({"tool": "find_phrases", "args": {"topic": "work"}}, teach))
    async with serve(script) as base_url:
        writer = storage.BackgroundWriter(db=db)
        responder = GraphResponder(chat_model=None, tool_model=model(base_url), checkpointer=InMemorySaver(),
                                   recorder=storage.StorageRecorder(db=db, writer=writer), llm_timeout_s=5)
        conversation = await responder.open(workflow="english", thread_id=None,
                                            options={"level": "B1", "topic": "work"})
        await collect(conversation.opening())
        asked = conversation.values["asked_text"]
        events = await collect(conversation.reply(turn("What is a useful phrase for talking about work?")))
        await conversation.close()
    stored = storage.search_phrases(db=db, level="B1", topic="work")
    said = spoken(events)
    assert said.startswith(f"Try “{stored[0]['text']}”: it means {stored[0]['meaning']}.") and asked in said
    assert statuses(events, "find_phrases") == ["start", "end"]
    assert conversation.values["phrases_taught"] == [p["id"] for p in stored[:3]]
    assert conversation.values["turn_index"] == 0  # a question to the partner is not a practice turn


async def test_production_shape_one_model_phrases_confirms_acts_and_calls_tools(db) -> None:
    """The app gives the same OpenAI-compatible model as chat, act and tool model."""
    def route(body: dict[str, Any]) -> Any:
        if body.get("response_format"):  # graph.acts confirms the act with a JSON schema
            return '{"act": "question", "detail": ""}'
        return tools_route(body)

    tools_route = agent({"tool": "find_phrases", "args": {"topic": "travel"}}, "Try “to set off”.")
    script = Scripted(route=route)
    async with serve(script) as base_url:
        chat = model(base_url)
        responder = GraphResponder(chat_model=chat, tool_model=chat, checkpointer=InMemorySaver(),
                                   recorder=storage.StorageRecorder(db=db), llm_timeout_s=5)
        conversation = await responder.open(workflow="english", thread_id=None,
                                            options={"level": "B1", "topic": "travel"})
        await collect(conversation.opening())
        events = await collect(conversation.reply(turn("What is a good phrase for starting a trip?")))
        await conversation.close()
    assert statuses(events) == ["start", "end"] and spoken(events).startswith("Try “to set off”.")
    assert conversation.values["act"]["kind"] == "question"
    sent = tool_results_in(next(r for r in script.requests if tool_results_in(r)))
    assert "to set off" in sent[0]["content"]


async def test_without_a_tool_model_the_english_wrap_up_calls_find_phrases_itself(make_responder) -> None:
    responder = make_responder()  # the rules brain, no recorder: the packaged phrases
    conversation = await responder.open(workflow="english", thread_id=None,
                                        options={"level": "B1", "topic": "work", "turns": 1})
    await collect(conversation.opening())
    events = await collect(conversation.reply(turn("I work in a shop and I like my colleagues a lot.")))
    assert [(t["name"], t["status"]) for t in notices(events, "tool")] == [
        ("analyze_english", "start"), ("analyze_english", "end"), ("find_phrases", "start"),
        ("find_phrases", "end")]
    phrase = next(p for p in phrase_dicts() if p["level"] == "B1" and p["topic"] == "work")
    report = conversation.values["summary"]
    assert report["phrase_to_try"]["id"] == phrase["id"] and f"“{phrase['text']}”" in spoken(events)


def test_studio_graphs_compile_with_their_tool_nodes() -> None:
    config = json.loads((Path(__file__).parents[2] / "langgraph.json").read_text())
    import importlib

    for name, target in config["graphs"].items():
        module, attribute = target.removeprefix("./").split(":")
        graph = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), attribute)
        drawn = graph.get_graph()
        if name in ("interview", "english"):
            caller = "answer_candidate" if name == "interview" else "answer_learner"
            edges = {(e.source, e.target) for e in drawn.edges}
            assert "tools" in drawn.nodes and {(caller, "tools"), ("tools", caller)} <= edges


async def test_a_model_that_keeps_calling_tools_must_answer_after_three_rounds(db) -> None:
    call = {"tool": "learner_progress", "args": {}}
    script = Scripted(route=agent(call, call, call, "**You are doing fine.** " + "really " * 80))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        events = await collect(conversation.reply(turn("How am I doing so far?")))
    assert statuses(events) == ["start", "end"] * 3
    assert [bool(r.get("tools")) for r in script.requests] == [True, True, True, False]
    said = spoken(events)
    assert said.startswith("You are doing fine. Now, back to the question.") and "*" not in said


async def test_without_a_tool_model_the_coach_calls_the_same_tools_itself(db) -> None:
    writer = storage.BackgroundWriter(db=db)
    responder = GraphResponder(chat_model=None, checkpointer=InMemorySaver(),
                               recorder=storage.StorageRecorder(db=db, writer=writer))
    conversation = await responder.open(workflow="interview", thread_id=None, options={
        "role": "backend engineer", "questions": 3, "follow_ups": 0, "user": "ada"})
    await start_interview(conversation)
    question = conversation.values["current_question"]
    await collect(conversation.reply(turn(GOOD)))
    asked = conversation.values["asked_text"]
    progress = await collect(conversation.reply(turn("How am I doing so far?")))
    harder = await collect(conversation.reply(turn("Can you give me a harder question about databases?")))
    await conversation.close()
    score = evaluate(question=question, answer=GOOD, fluency=None)["score"]
    assert statuses(progress, "learner_progress") == ["start", "end"]
    said = spoken(progress)
    assert said.startswith(f"So far you've answered 1 question, with an average of {score} out of 10.")
    assert "Last time your average was 6.0 out of 10." in said and said.endswith(asked)
    assert statuses(harder, "search_questions") == ["start", "end"]
    now = conversation.values["current_question"]
    assert now["competency"] == "databases" and now["difficulty"] == 3
    assert spoken(harder).endswith(now["text"])
    calls = storage.list_tool_calls(db=db, thread_id=conversation.thread_id)
    search = next(c for c in calls if c["name"] == "search_questions")
    assert search["args"] == {"competency": "databases", "difficulty": 3}


async def test_without_a_tool_model_the_partner_calls_the_same_tools_itself(db) -> None:
    responder = GraphResponder(chat_model=None, checkpointer=InMemorySaver(),
                               recorder=storage.StorageRecorder(db=db))
    conversation = await responder.open(workflow="english", thread_id=None,
                                        options={"level": "B1", "topic": "work", "turns": 4})
    await collect(conversation.opening())
    await collect(conversation.reply(turn("Yesterday I go to the office and I meet my boss.")))
    phrase = await collect(conversation.reply(turn("What is a useful phrase for talking about work?")))
    progress = await collect(conversation.reply(turn("How am I doing?")))
    await conversation.close()
    stored = storage.search_phrases(db=db, level="B1", topic="work")[0]
    assert statuses(phrase, "find_phrases") == ["start", "end"]
    assert spoken(phrase).startswith(f"Here's a useful one: “{stored['text']}”, meaning {stored['meaning']}.")
    assert conversation.values["phrases_taught"] == [stored["id"]]
    assert statuses(progress, "learner_progress") == ["start", "end"]
    corrections = len(conversation.values["corrections"])
    assert corrections and spoken(progress).startswith(
        f"So far you've spoken in 1 turn at level B1, and we've worked on {corrections} correction")


async def test_a_question_about_the_team_is_answered_from_the_team_facts(db) -> None:
    script = Scripted(route=agent("We're six backend engineers, with a product manager and a designer."))
    async with serve(script) as base_url:
        conversation = await open_interview(base_url, db)
        events = await collect(conversation.reply(turn("How big is the team?")))
    task = script.requests[0]["messages"][1]["content"]
    assert "It's a team of six backend engineers, with a product manager and a designer." in task
    assert spoken(events).startswith("We're six backend engineers") and not statuses(events)
