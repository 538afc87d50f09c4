"""The brain against an OpenAI-compatible server over real HTTP, driven through ChatOpenAI."""

from __future__ import annotations

import json
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from graph.llm import build_chat_model
from graph.responder import GraphResponder
from graph.workflows.interview.bank import load_bank
from tests.fakes import ready_turn
from tests.graph.conftest import GOOD, collect, finished, notices, spoken, turn
from tests.graph.openai_server import Scripted, serve

BANK = {q.id: q.text for q in load_bank()["backend engineer"]}


def model(base_url: str, **kwargs: Any):
    return build_chat_model(
        provider="openai",
        base_url=base_url,
        api_key="test-key",
        max_tokens=80,
        temperature=0.2,
        timeout_s=5,
        **kwargs,
    )


async def test_full_interview_over_http() -> None:
    script = Scripted(
        replies=[
            json.dumps({"sentence": "You mentioned the retry logic."}),
            json.dumps({"sentence": "Good luck with your next interview!"}),
        ]
    )
    async with serve(script) as base_url:
        responder = GraphResponder(chat_model=model(base_url), checkpointer=InMemorySaver(), llm_timeout_s=5)
        conversation = await responder.open(
            workflow="interview",
            thread_id=None,
            options={"role": "backend engineer", "seniority": "junior", "questions": 2, "follow_ups": 0},
        )
        greeting = spoken(await collect(conversation.opening()))
        assert greeting.endswith("Are you ready for the first question?")  # a template: no request
        opening = spoken(await collect(conversation.reply(ready_turn())))
        assert opening == f"Let's begin. {BANK['be-api-design']}"
        assert not script.requests  # no answer to remark on before question 1: the template alone
        second = spoken(await collect(conversation.reply(turn(GOOD))))
        # the template's lead at once, the model's remark while it plays, the bank question
        remark = "You mentioned the retry logic."
        assert second == f"Thanks. Here is the last question. {remark} {BANK['be-debug-prod']}"
        events = await collect(conversation.reply(turn(GOOD)))
        assert spoken(events).endswith("Good luck with your next interview!")
        assert finished(events).summary["answered"] == 2
        assert finished(events).summary["spoken_by"]["model"] == 2
    request = script.requests[0]
    assert request["model"] == "gpt-4o-mini" and request["stream"] is True
    assert request["messages"][0]["role"] == "system"
    assert request["response_format"]["type"] == "json_schema"  # constrained output, OpenAI's dialect
    assert request.get("max_completion_tokens") == 80 or request.get("max_tokens") == 80


async def test_tool_call_instead_of_text_falls_back_to_the_template() -> None:
    script = Scripted(replies=[{"tool": "get_progress", "args": {"workflow": "interview"}}])
    async with serve(script) as base_url:
        responder = GraphResponder(chat_model=model(base_url), checkpointer=InMemorySaver(), llm_timeout_s=5)
        conversation = await responder.open(workflow="english", thread_id=None, options={"topic": "work"})
        events = await collect(conversation.opening())
    assert spoken(events).endswith("Let's start. What do you like most about your job or your studies?")
    assert not notices(events, "error")


async def test_unreachable_server_fails_fast_and_the_template_speaks() -> None:
    from voice_agent.llm_server import free_port

    dead = model(f"http://127.0.0.1:{free_port()}/v1")
    # not paced to speech: on a busy machine a refused connection may take longer than "Thank you."
    responder = GraphResponder(
        chat_model=dead,
        checkpointer=InMemorySaver(),
        llm_timeout_s=5,
        first_sentence_s=5,
        pace_to_speech=False,
    )
    conversation = await responder.open(workflow="intake", thread_id=None, options={})
    events = await collect(conversation.opening())
    assert spoken(events).endswith("To start, what's your name?")
    events = await collect(conversation.reply(turn("My name is Ada Lovelace.")))
    assert spoken(events).endswith("?")  # the template asks on
    assert notices(events, "error")[0]["code"] == "llm_failed"
