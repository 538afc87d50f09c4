"""The model only phrases; its output is guarded sentence by sentence with a template fallback."""

from __future__ import annotations

import time

import pytest

from graph.guard import GuardSpec, SentenceGuard
from graph.workflows.interview.bank import load_bank
from tests.fakes import ready_turn, start_interview
from tests.graph.conftest import RaisingChatModel, SlowChatModel, collect, fake_model, notices, spoken
from voice_io.protocols import Say

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}
Q1 = next(q.text for q in load_bank()["backend engineer"] if q.id == "be-api-design")
GREETING = "Hi! I'm your interview coach. We'll practise 2 questions for a junior backend engineer role."


async def opening_with(make_responder, model, **kwargs) -> list:
    """The events of question 1, the first model-phrased turn (after the template greeting and
    "I'm ready.")."""
    conversation = await make_responder(model, **kwargs).open(
        workflow="interview", thread_id=None, options=OPTIONS
    )
    greeting = spoken(await collect(conversation.opening()))
    assert greeting.startswith(GREETING) and Q1 not in greeting
    return await collect(conversation.reply(ready_turn()))


async def test_good_phrasing_is_spoken(make_responder) -> None:
    model = fake_model(
        "Great, let's get started. So, how would you design a REST API for a simple to-do list app?"
    )
    text = spoken(await opening_with(make_responder, model))
    assert text == (
        "Great, let's get started. So, how would you design a REST API for a simple to-do list app?"
    )


@pytest.mark.parametrize(
    ("reply", "expected_tail"),
    [
        # role-play artefact: nothing of the model is spoken, the template speaks
        ("User: I want to design an API. Assistant: Great!", f"Let's begin. {Q1}"),
        ("### Question 1\n[Your name] please answer.", f"Let's begin. {Q1}"),
        # a fine lead, then an off-topic question: the lead stays, the bank question replaces it
        ("Welcome to the interview. What is your favourite colour?", f"Welcome to the interview. {Q1}"),
        # two questions in one sentence
        (
            "Let's start. What is REST? And how would you design a REST API for a to-do list application?",
            f"Let's start. {Q1}",
        ),
        # rambling lead before any question
        ("Okay. So. Here we go now.", f"Okay. {Q1}"),
        # output cut by the token cap: closed with a full stop, the bank question is added
        ("Let's begin with the first one", f"Let's begin with the first one. {Q1}"),
    ],
)
async def test_bad_output_falls_back_to_the_template(make_responder, reply: str, expected_tail: str) -> None:
    events = await opening_with(make_responder, fake_model(reply))
    text = spoken(events)
    assert text.endswith(expected_tail)
    assert text.count("?") == 1
    assert not notices(events, "error")  # garbage is not a failure of the model server


async def test_only_the_first_question_is_spoken(make_responder) -> None:
    reply = f"Nice to meet you. {Q1} Also, what is your favourite database? User: Postgres."
    text = spoken(await opening_with(make_responder, fake_model(reply)))
    assert text.endswith(f"Nice to meet you. {Q1}")


async def test_model_raising_falls_back_and_reports_llm_failed(make_responder) -> None:
    events = await opening_with(make_responder, RaisingChatModel())
    assert spoken(events).endswith(f"Let's begin. {Q1}")
    (error,) = notices(events, "error")
    assert error["code"] == "llm_failed" and error["fatal"] is False
    assert "model server is down" in error["message"]


async def test_model_timing_out_falls_back(make_responder) -> None:
    started = time.monotonic()
    events = await opening_with(make_responder, SlowChatModel(), llm_timeout_s=0.2)
    assert time.monotonic() - started < 2
    assert spoken(events).endswith(f"Let's begin. {Q1}")
    (error,) = notices(events, "error")
    assert error["code"] == "llm_failed" and "0.2 s" in error["message"]


async def test_statement_node_never_asks(make_responder) -> None:
    conversation = await make_responder(
        fake_model(f"Let's begin. {Q1}", "Good luck in your interviews! Do you have any questions?")
    ).open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    text = spoken(await collect(conversation.finish()))
    assert text.endswith("Good luck in your interviews!")
    assert "?" not in text


@pytest.mark.parametrize(
    ("lead", "said"),
    [
        ("Thanks for coming in, Mr. Lee.", "Thanks for coming in, Mr. Lee."),  # not "Mr." | "Lee."
        ('"Welcome aboard."', "Welcome aboard."),  # stray quotes dropped
        ("Welcome aboard\n", "Welcome aboard"),  # a new line ends the sentence
    ],
)
async def test_each_streamed_sentence_is_spoken_whole_as_one_say(
    make_responder, lead: str, said: str
) -> None:
    events = await opening_with(make_responder, fake_model(f"{lead} {Q1}"))
    says = [e for e in events if isinstance(e, Say)]
    assert [s.text.strip() for s in says[-2:]] == [said, Q1]
    assert says[-1].message_id == says[-2].message_id


def test_guard_rules() -> None:
    guard = SentenceGuard(GuardSpec(mode="question", target="How do you test a REST API?", max_lead=1))
    assert guard.check("Nice.") == "speak"
    assert guard.check("How would you test a REST API in practice?") == "speak_and_stop"
    guard = SentenceGuard(GuardSpec(mode="question", target="Tell me about a difficult project challenge."))
    assert guard.check("Tell me about a challenge in a difficult project.") == "speak_and_stop"
    statement = SentenceGuard(GuardSpec(mode="statement", max_sentences=1))
    assert statement.check("Good luck!") == "speak"
    assert statement.check("See you.") == "stop"
    assert SentenceGuard(GuardSpec(mode="statement")).check("Interviewer: hello") == "reject"
    long = " ".join(["word"] * 40) + "."
    assert SentenceGuard(GuardSpec(mode="statement")).check(long) == "reject"


async def test_slow_first_sentence_speaks_the_template_lead_at_once(make_responder) -> None:
    """Latency first: past first_sentence_s the template lead speaks; the model may still ask."""
    conversation = await make_responder(
        SlowChatModel(delay_s=0.4), llm_timeout_s=5, first_sentence_s=0.05
    ).open(workflow="interview", thread_id=None, options=OPTIONS)
    await collect(conversation.opening())
    started = time.monotonic()
    stamps: list[tuple[float, str]] = []
    async for event in conversation.reply(ready_turn()):
        if hasattr(event, "text"):
            stamps.append((time.monotonic() - started, event.text.strip()))
    lead_at = next(t for t, text in stamps if text == "Let's begin.")
    assert lead_at < 0.3  # before the model's "Well then." arrived (0.4 s)
    assert " ".join(text for _, text in stamps).endswith(f"Let's begin. {Q1}")  # "Well then." dropped


@pytest.mark.parametrize(
    "lead",
    [
        "A few years ago, I had a conversation with Alex about climate change.",  # invented story
        "My team once argued about this.",
        "That is a really very interesting and thoughtful answer that you have given.",  # too long
    ],
)
def test_lead_in_must_be_a_short_acknowledgement(lead: str) -> None:
    guard = SentenceGuard(GuardSpec(mode="question", target="How do you test a REST API?"))
    assert guard.check(lead) == "reject"
    assert (
        SentenceGuard(GuardSpec(mode="question", target="x y")).check("Thanks for walking me through that.")
        == "speak"
    )
