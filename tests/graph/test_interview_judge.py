"""The LLM judge over real HTTP (the OpenAI-compatible test server), with real tool calls for the
structured output: a trusted judgment overrides the embedded evaluator; malformed output, missing
evidence, fabricated quotes and timeouts fall back to it without a crash; both scores are kept."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graph.llm import build_chat_model
from graph.responder import GraphResponder
from graph.workflows.interview.judge import judged, quote_in
from graph.workflows.interview.scoring import evaluate
from tests.fakes import start_interview
from tests.graph.conftest import collect, notices, turn
from tests.graph.openai_server import Scripted, serve
from voice_agent.cli_score import bank_question

QUESTION = bank_question("be-index-writes")
ANSWER = ("An index helps reads, but every insert and update has to change the index too, so a table with "
          "lots of writes gets slower. It also takes disk space.")


def model(base_url: str) -> Any:
    return build_chat_model(provider="openai", base_url=base_url, api_key="test-key", max_tokens=400,
                            temperature=0.0, timeout_s=5)


def judgment(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "criteria": [
            {"criterion": "depth", "score": 8,
             "evidence": ["every insert and update has to change the index"]},
            {"criterion": "accuracy", "score": 9, "evidence": ["a table with lots of writes gets slower"]},
        ],
        "misconception": None,
        "strength": "You named the write cost of an index.",
        "improvement": "Mention low-selectivity columns.",
        "better_phrasing": "An index helps reads, but every insert and update has to change the index too.",
    }
    args.update(overrides)
    return {"tool": "Judgment", "args": args}


@pytest.fixture(scope="module")
def embedded() -> dict[str, Any]:
    assert QUESTION is not None
    return evaluate(question=QUESTION, answer=ANSWER, fluency=None)


async def run(reply: Any, embedded: dict[str, Any],
              timeout_s: float = 5.0) -> tuple[dict[str, Any], Scripted]:
    script = Scripted(replies=[reply])
    async with serve(script) as base_url:
        result = await judged(model(base_url), question=QUESTION or {}, answer=ANSWER, embedded=embedded,
                              timeout_s=timeout_s)
    return result, script


async def test_a_judgment_with_real_quotes_is_used_and_both_scores_kept(embedded: dict[str, Any]) -> None:
    result, script = await run(judgment(), embedded)
    assert result["evaluator"] == "llm" and result["judge"]["status"] == "ok"
    assert result["score"] == 8.5 and result["judge"]["embedded_score"] == embedded["score"]
    assert result["criteria"] == {"depth": 8, "accuracy": 9}
    assert result["strength"] == "You named the write cost of an index."
    request = script.requests[0]  # a forced tool call carrying the JSON schema of Judgment
    tool = request["tools"][0]["function"]
    assert tool["name"] == "Judgment" and "criteria" in tool["parameters"]["properties"]
    assert request["tool_choice"]["function"]["name"] == "Judgment"
    assert ANSWER in request["messages"][-1]["content"]


@pytest.mark.parametrize(("reply", "reason"), [
    ("Sure! The answer deserves an 8.", "malformed"),
    ({"tool": "Judgment", "args": {"criteria": "lots", "strength": 3}}, "malformed"),
    (judgment(criteria=[{"criterion": "depth", "score": 9, "evidence": []}]), "missing evidence"),
    (judgment(criteria=[{"criterion": "depth", "score": 10, "evidence": ["indexes are free and instant"]}]),
     "fabricated quote"),
])
async def test_untrustworthy_judgments_fall_back(reply: Any, reason: str, embedded: dict[str, Any]) -> None:
    result, _ = await run(reply, embedded)
    assert result["judge"]["status"] == "fallback" and result["judge"]["reason"].startswith(reason)
    assert result["evaluator"] == "semantic" and result["score"] == embedded["score"]
    assert result["criteria"] == embedded["criteria"]


async def test_a_slow_judge_times_out_to_the_embedded_result(embedded: dict[str, Any]) -> None:
    result, _ = await run(judgment(), embedded, timeout_s=0.001)
    assert result["judge"]["reason"].startswith("timeout") and result["score"] == embedded["score"]


async def test_an_unreachable_judge_falls_back(embedded: dict[str, Any]) -> None:
    dead = model("http://127.0.0.1:9/v1")
    result = await judged(dead, question=QUESTION or {}, answer=ANSWER, embedded=embedded, timeout_s=5)
    assert result["judge"]["reason"].startswith("error") and result["evaluator"] == "semantic"


async def test_a_large_disagreement_is_flagged(embedded: dict[str, Any]) -> None:
    low = judgment(criteria=[{"criterion": "depth", "score": 1, "evidence": ["It also takes disk space"]}])
    result, _ = await run(low, embedded)
    assert result["judge"]["disagreement"] and result["judge"]["embedded_score"] - result["score"] >= 3


def test_quotes_are_checked_against_the_transcript() -> None:
    assert quote_in("Every INSERT and update, has to change", ANSWER)
    assert not quote_in("every delete is free", ANSWER) and not quote_in("index", ANSWER)


async def test_the_interview_graph_stores_the_judgment_in_the_evaluation() -> None:
    script = Scripted(replies=[judgment(), "Thanks, that's all."])  # the opening asks no model
    async with serve(script) as base_url:
        chat = model(base_url)
        responder = GraphResponder(chat_model=chat, judge_model=chat, checkpointer=InMemorySaver(),
                                   llm_timeout_s=5)
        conversation = await responder.open(workflow="interview", thread_id=None, options={
            "role": "backend engineer", "questions": 1, "follow_ups": 0})
        await start_interview(conversation)
        events = await collect(conversation.reply(turn(ANSWER)))
    evaluation = notices(events, "evaluation")[0]
    assert evaluation["judge"]["status"] == "ok" and evaluation["evaluator"] == "llm"
    assert evaluation["score"] == 8.5 and evaluation["judge"]["embedded_score"] is not None
    assert script.requests[0]["tool_choice"]["function"]["name"] == "Judgment"
