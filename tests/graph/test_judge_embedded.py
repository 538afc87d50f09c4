"""The LLM judge end to end against the real embedded SmolLM2 (llama.cpp server): the forced tool
call is constrained by the grammar compiled from the bounded judgment schema, so every answer parses;
a judgment whose quotes are all in the answer is used, any other falls back to the embedded
evaluator with its reason. Fails when the model is dead (the server does not start, or no
completion arrives)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.llm import LLMStatus, build_chat_model
from graph.workflows.interview.judge import judged, quote_in
from graph.workflows.interview.scoring import evaluate
from tests.tools.devset_pairs import PAIRS
from voice_agent.cli_score import bank_question

pytestmark = [pytest.mark.models]
TIMEOUT_S = 900.0
"""Generous: a shared CI machine may be very busy; these tests check the path, not its speed."""
HONEST_REASONS = ("missing evidence for ", "fabricated quote for ", "no usable ")


@pytest.fixture
async def smollm2():
    from voice_agent.llm_server import LlamaServer, embedded_gguf_path

    status = LLMStatus()
    async with LlamaServer(embedded_gguf_path()) as server:
        yield build_chat_model(
            provider="embedded", base_url=server.base_url, max_tokens=160, temperature=0.2,
            timeout_s=TIMEOUT_S, status=status,
        )  # fmt: skip
    assert status.completions >= 2, status.snapshot()  # the model itself answered each time
    assert status.failures == 0, status.snapshot()


@pytest.mark.parametrize("pair", [PAIRS[0], next(p for p in PAIRS if p[0] == "wrong")], ids=lambda p: p[0])
async def test_smollm2_judgments_are_constrained_and_checked(smollm2: Any, pair: tuple) -> None:
    _, question_id, better, worse = pair
    question = bank_question(question_id)
    assert question is not None
    for answer in (better, worse):
        embedded = evaluate(question=question, answer=answer, fluency=None)
        result = await judged(
            smollm2, question=question, answer=answer, embedded=embedded, timeout_s=TIMEOUT_S
        )
        record = result["judge"]
        assert record["embedded_score"] == embedded["score"]  # both scores kept
        if record["status"] == "ok":  # used: every quote is the candidate's own words
            assert result["evaluator"] == "llm" and result["score"] == record["score"]
            assert set(record["criteria"]) <= set(embedded["criteria"])
            quotes = [q for qs in record["evidence"].values() for q in qs]
            assert quotes and all(quote_in(q, answer) for q in quotes)
        else:  # the constrained output always parses: a fallback is the evidence check's verdict
            assert str(record["reason"]).startswith(HONEST_REASONS), record["reason"]
            assert result["score"] == embedded["score"] and result.get("evaluator") != "llm"
