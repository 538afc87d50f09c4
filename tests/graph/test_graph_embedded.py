"""End to end against the real embedded SmolLM2-135M (llama.cpp server), in text mode.

The model is weak: these tests check that whatever it says, the conversation stays well-formed
(one question per agent turn, no role-play artefacts, the workflow finishes with a report), and
that the model really ran: completions arrived and none failed (templates alone would keep the
conversation well-formed with the model dead).
"""

from __future__ import annotations

import re
import time

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graph.llm import LLMStatus, build_chat_model
from graph.responder import GraphResponder
from tests.fakes import ready_turn
from tests.graph.conftest import GOOD, finished, turn
from voice_io.events import EvaluationEvent, WarningEvent
from voice_io.protocols import Finished, Notify, Say

pytestmark = [pytest.mark.models]
FIRST_SENTENCE_S = 120.0
"""Generous, and not paced to speech: these tests check that the model's own (schema-constrained)
words reach the conversation, not its speed (a shared CI machine may be very busy; latency is
measured by `make bench`)."""
ARTEFACT = re.compile(r"\b(user|assistant|candidate|interviewer)\s*:|<\||\[|#", re.I)


def llm_failures(events: list) -> list[WarningEvent]:
    return [
        e.event
        for e in events
        if isinstance(e, Notify) and isinstance(e.event, WarningEvent) and e.event.code == "llm_failed"
    ]


async def run(events, latencies: list[float]) -> tuple[str, list]:
    started = time.monotonic()
    said: list[str] = []
    collected = []
    async for event in events:
        if isinstance(event, Say) and not said:
            latencies.append(time.monotonic() - started)
        if isinstance(event, Say):
            said.append(event.text)
        collected.append(event)
    text = "".join(said).strip()
    assert text.count("?") <= 1, text
    assert not ARTEFACT.search(text), text
    return text, collected


@pytest.fixture
async def status():
    status = LLMStatus()
    yield status
    assert status.completions >= 1, "the embedded model produced no completion"
    assert status.failures == 0, status.snapshot()


@pytest.fixture
async def embedded(status: LLMStatus):
    from voice_agent.llm_server import LlamaServer, embedded_gguf_path

    async with LlamaServer(embedded_gguf_path(), n_threads=2, n_ctx=2048) as server:
        yield build_chat_model(
            provider="embedded",
            base_url=server.base_url,
            max_tokens=60,
            temperature=0.6,
            timeout_s=FIRST_SENTENCE_S,
            status=status,
        )


async def test_interview_with_smollm2(embedded, record_property) -> None:
    responder = GraphResponder(
        chat_model=embedded,
        checkpointer=InMemorySaver(),
        llm_timeout_s=FIRST_SENTENCE_S,
        first_sentence_s=FIRST_SENTENCE_S,
        pace_to_speech=False,
    )
    conversation = await responder.open(
        workflow="interview",
        thread_id=None,
        options={"role": "backend engineer", "questions": 2, "follow_ups": 1},
    )
    latencies: list[float] = []
    text, _ = await run(conversation.opening(), latencies)
    assert text.startswith("Hi! I'm your interview coach.") and text.endswith("?")  # are you ready?
    text, events = await run(conversation.reply(ready_turn()), latencies)
    assert text.endswith("?") and not any(isinstance(e, Notify) and isinstance(e.event, EvaluationEvent)
                                          for e in events)  # question 1, phrased by the model
    done = None
    for _ in range(6):
        text, events = await run(conversation.reply(turn(GOOD)), latencies)
        assert text
        assert any(isinstance(e, Notify) and isinstance(e.event, EvaluationEvent) for e in events)
        assert not llm_failures(events)
        done = finished(events)
        if done:
            break
    assert isinstance(done, Finished) and done.summary["answered"] == 2
    assert done.summary["spoken_by"]["model"] >= 1, done.summary["spoken_by"]  # a remark got through
    record_property("first_say_s", [round(x, 3) for x in latencies])
    print("first Say latencies (s):", [round(x, 3) for x in latencies])


async def test_english_with_smollm2(embedded) -> None:
    responder = GraphResponder(
        chat_model=embedded,
        checkpointer=InMemorySaver(),
        llm_timeout_s=FIRST_SENTENCE_S,
        first_sentence_s=FIRST_SENTENCE_S,
        pace_to_speech=False,
    )
    conversation = await responder.open(
        workflow="english", thread_id=None, options={"turns": 3, "topic": "travel"}
    )
    latencies: list[float] = []
    await run(conversation.opening(), latencies)
    answers = [
        "Last year I goed to Spain with my family.",
        "I like the beach and the food.",
        "Next year I want to visit Japan because of the culture.",
    ]
    for answer in answers:
        _, events = await run(conversation.reply(turn(answer)), latencies)
        assert not llm_failures(events)
    report = finished(events).summary
    assert report["turns_taken"] == 3 and len(report["practise"]) == 3
    print("first Say latencies (s):", [round(x, 3) for x in latencies])


async def test_sales_spec_with_smollm2(embedded) -> None:
    """A spec workflow with the model phrasing: the answers and the verdict still come from the spec."""
    responder = GraphResponder(
        chat_model=embedded,
        checkpointer=InMemorySaver(),
        llm_timeout_s=FIRST_SENTENCE_S,
        first_sentence_s=FIRST_SENTENCE_S,
        pace_to_speech=False,
    )
    conversation = await responder.open(workflow="sales", thread_id=None, options={})
    latencies: list[float] = []
    text, _ = await run(conversation.opening(), latencies)
    assert text.startswith("Hi! Thanks for your interest.")
    answers = [
        "Acme",
        "yes, our support team is drowning",
        "about 50k a year",
        "yes",
        "yes, with our CFO",
        "ASAP",
    ]
    for answer in answers:
        text, events = await run(conversation.reply(turn(answer)), latencies)
        assert text
        assert not llm_failures(events)
    report = finished(events).summary
    assert report["verdict"] == "qualified" and report["complete"], report
    assert report["record"]["authority"] == {"yes": True, "detail": "CFO"}
    print("first Say latencies (s):", [round(x, 3) for x in latencies])
