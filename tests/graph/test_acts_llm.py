"""The dialogue-act LLM call (graph.acts) over real HTTP, against the OpenAI-compatible test server.

A capable model is asked only about short turns that meaning alone (tools.acts, the sentence
encoder) would divert from scoring; its well-formed verdict decides the act. A malformed, invalid,
late or failed reply falls back to the act of the cues and the encoder, and the interview goes on.
The model here is the judge model (the rules brain phrases), so every act request is one with a
`response_format` and every other request is something else.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graph.acts import ActVerdict, capable
from graph.llm import build_chat_model
from graph.responder import GraphResponder
from graph.workflows.interview import prompts
from graph.workflows.interview.bank import load_bank
from tests.fakes import start_interview
from tests.graph.conftest import GOOD, collect, notices, spoken, turn
from tests.graph.openai_server import Scripted, serve
from tools.acts import classify_act
from voice_agent.llm_server import free_port

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2, "follow_ups": 0}
FIRST = next(q for q in load_bank()["backend engineer"] if q.id == "be-api-design")
UNCLEAR = "Okay so what exactly is a to-do list here?"
"""Asks to explain the question; the encoder alone takes it for a question to the interviewer."""


def model(base_url: str) -> Any:
    return build_chat_model(provider="openai", base_url=base_url, api_key="test-key", model="gpt-4o-mini",
                            max_tokens=60, temperature=0.0, timeout_s=5)


def act_requests(script: Scripted) -> list[dict[str, Any]]:
    return [r for r in script.requests if "response_format" in r]


async def interview(base_url: str):
    responder = GraphResponder(chat_model=None, judge_model=model(base_url), checkpointer=InMemorySaver())
    conversation = await responder.open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)  # "I'm ready." is settled by a cue: no request
    return conversation


async def say_turn(conversation, text: str):
    events = await collect(conversation.reply(turn(text)))
    return events, spoken(events), conversation.values["act"]


def test_the_turn_is_one_meaning_alone_diverts() -> None:
    act = classify_act(UNCLEAR, asked=FIRST.text)
    assert act.kind == "question" and act.source == "meaning"  # so the model is asked


async def test_a_well_formed_verdict_decides_the_act() -> None:
    script = Scripted(replies=[json.dumps({"act": "clarify", "detail": "rephrase"})])
    async with serve(script) as base_url:
        conversation = await interview(base_url)
        assert act_requests(script) == []
        events, text, act = await say_turn(conversation, UNCLEAR)
    assert act["kind"] == "clarify" and act["source"] == "llm" and act["detail"] == "rephrase"
    assert text.startswith(prompts.REPHRASE_LEAD) and FIRST.text not in text  # rephrased, not a team answer
    assert not notices(events, "evaluation") and conversation.values["question_index"] == 1
    assert notices(events, "state")[0]["act"] == "clarify"
    (request,) = act_requests(script)
    assert request["model"] == "gpt-4o-mini"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == ActVerdict.__name__
    system, user = request["messages"]
    assert system["role"] == "system" and FIRST.text in system["content"]  # what the agent asked
    assert user == {"role": "user", "content": UNCLEAR}


@pytest.mark.parametrize("reply", [
    "It is a clarify, I think.",  # not JSON
    json.dumps({"act": "banana"}),  # not one of the acts
    json.dumps({"kind": "clarify"}),  # the wrong shape
    "",  # nothing
])
async def test_a_malformed_verdict_falls_back_to_cues_and_meaning(reply: str) -> None:
    script = Scripted(replies=[reply])
    async with serve(script) as base_url:
        conversation = await interview(base_url)
        events, text, act = await say_turn(conversation, UNCLEAR)
    assert len(act_requests(script)) == 1
    assert act["kind"] == "question" and act["source"] == "meaning"  # the encoder's act stands
    assert text.endswith(FIRST.text) and prompts.BACK_TO_QUESTION in text  # answered, back to the question
    assert not notices(events, "evaluation") and conversation.values["question_index"] == 1


async def test_a_late_verdict_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.acts.LLM_ACT_TIMEOUT_S", 0.3)
    script = Scripted(replies=[json.dumps({"act": "clarify", "detail": "rephrase"})], delay_s=2.0)
    async with serve(script) as base_url:
        conversation = await interview(base_url)
        _, text, act = await say_turn(conversation, UNCLEAR)
    assert len(act_requests(script)) == 1
    assert act["kind"] == "question" and act["source"] == "meaning"  # the late "clarify" was not waited for
    assert text.endswith(FIRST.text)


async def test_a_dead_server_falls_back() -> None:
    dead = model(f"http://127.0.0.1:{free_port()}/v1")
    responder = GraphResponder(chat_model=None, judge_model=dead, checkpointer=InMemorySaver())
    conversation = await responder.open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    _, text, act = await say_turn(conversation, UNCLEAR)
    assert act["kind"] == "question" and act["source"] == "meaning" and text.endswith(FIRST.text)


async def test_cues_and_answers_never_wait_for_the_model() -> None:
    script = Scripted()
    async with serve(script) as base_url:
        conversation = await interview(base_url)
        _, _, act = await say_turn(conversation, "Sorry, can you repeat that?")
        assert act is None or act["source"] != "llm"
        _, _, act = await say_turn(conversation, "I don't know.")
        assert act["kind"] == "pass" and act["source"] == "cue"
        events, _, act = await say_turn(conversation, GOOD)
        assert act["kind"] == "answer" and notices(events, "evaluation")
    assert act_requests(script) == []  # only the judge was asked (for the answer)
    assert script.requests and all("tools" in r for r in script.requests)


def test_the_embedded_model_is_never_asked() -> None:
    embedded = build_chat_model(provider="embedded", base_url="http://127.0.0.1:9/v1")
    assert not capable(embedded) and not capable(None)
    assert capable(model("http://127.0.0.1:9/v1"))
