"""The template speaks at once; the model adds one schema-constrained, guarded sentence while the
lead plays; every spoken sentence is counted by who wrote it."""

from __future__ import annotations

import asyncio

import pytest

from graph.context import Context
from graph.guard import GuardSpec, SentenceGuard
from graph.llm import LLMStatus, build_chat_model
from graph.remark import REMARK_PATTERN, parse_sentence, request_options, sentence_schema, speech_seconds
from graph.speech import model_wait_s
from graph.workflows.interview.bank import load_bank
from tests.fakes import start_interview
from tests.graph.conftest import (
    GOOD,
    GatedChatModel,
    RaisingChatModel,
    collect,
    fake_model,
    notices,
    sentence,
    spoken,
    turn,
)
from voice_io.protocols import Say

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}
Q1 = next(q.text for q in load_bank()["backend engineer"] if q.id == "be-api-design")
LEAD = "Thanks, one follow-up."
"""GOOD answers question 1 with a story, not an API design: the interview asks a follow-up."""


async def answered(make_responder, model, **kwargs) -> tuple[object, list]:
    conversation = await make_responder(model, **kwargs).open(
        workflow="interview", thread_id=None, options=OPTIONS
    )
    await start_interview(conversation)
    return conversation, await collect(conversation.reply(turn(GOOD)))


def says(events: list) -> list[Say]:
    return [e for e in events if isinstance(e, Say)]


async def test_a_good_remark_is_spoken_between_the_lead_and_the_question(make_responder) -> None:
    _, events = await answered(make_responder, fake_model(sentence("You mentioned the retry logic.")))
    lead, remark, question = says(events)
    assert (lead.text.strip(), lead.source) == (LEAD, "template")
    assert (remark.text.strip(), remark.source) == ("You mentioned the retry logic.", "model")
    assert question.source == "template" and question.text.strip().endswith("?")
    assert notices(events, "state")[-1]["spoken_by"]["model"] == 1


async def test_the_lead_is_spoken_before_the_model_answers(make_responder) -> None:
    gate = asyncio.Event()
    model = GatedChatModel(reply=sentence("You mentioned the payments API."), gate=gate)
    conversation = await make_responder(model).open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    assert model.calls == 0  # no answer yet: the model is not asked at all
    events: list = []

    async def reply() -> None:
        async for event in conversation.reply(turn(GOOD)):
            events.append(event)
            if isinstance(event, Say) and not gate.is_set():
                assert event.text.strip() == LEAD  # spoken while the model has not answered
                gate.set()

    await asyncio.wait_for(reply(), 30)  # a lead that waited on the model would never come
    assert model.calls == 1
    assert [s.source for s in says(events)] == ["template", "model", "template"]


async def test_a_remark_slower_than_the_lead_is_dropped_without_an_error(make_responder) -> None:
    status = LLMStatus()
    never = GatedChatModel(reply=sentence("You mentioned the payments API."), gate=asyncio.Event())
    _, events = await answered(make_responder, never, first_sentence_s=0.2, llm_status=status)
    assert [s.source for s in says(events)] == ["template", "template"]
    assert spoken(events).startswith(LEAD)
    assert not notices(events, "error")  # slower than the lead is not a failure of the model
    assert status.sentences["late"] == 1


@pytest.mark.parametrize(
    ("reply", "counted"),
    [
        (sentence("You mentioned my own project at work."), "rejected"),  # the model's story
        (sentence("You mentioned a great payments API."), "rejected"),  # praise before grading
        (sentence("You mentioned failed payments dropped by 60 percent."), "rejected"),  # invented figure
        (sentence("You mentioned the weather today."), "rejected"),  # not the user's words
        (sentence("User: you mentioned the payments API."), "rejected"),  # role-play artefact
        ("You mentioned the retry logic.", "rejected"),  # not the JSON asked for
        ('{"text": "You mentioned the retry logic."}', "rejected"),  # not the schema
    ],
)
async def test_bad_remarks_are_not_spoken(make_responder, reply: str, counted: str) -> None:
    status = LLMStatus()
    _, events = await answered(make_responder, fake_model(reply), llm_status=status)
    assert [s.source for s in says(events)] == ["template", "template"]
    assert not notices(events, "error")  # garbage is not a failure of the model server
    assert status.sentences[counted] == 1 and status.sentences["spoken"] == 0


async def test_model_raising_falls_back_and_reports_llm_failed(make_responder) -> None:
    _, events = await answered(make_responder, RaisingChatModel())
    assert [s.source for s in says(events)] == ["template", "template"]
    (error,) = notices(events, "error")
    assert error["code"] == "llm_failed" and error["fatal"] is False
    assert "model server is down" in error["message"]


async def test_model_timing_out_at_its_own_limit_reports_llm_failed(make_responder) -> None:
    never = GatedChatModel(reply=sentence("You mentioned the payments API."), gate=asyncio.Event())
    _, events = await answered(make_responder, never, llm_timeout_s=0.2, pace_to_speech=False)
    assert spoken(events).startswith(LEAD)
    (error,) = notices(events, "error")
    assert error["code"] == "llm_failed" and "0.2 s" in error["message"]


async def test_a_down_model_is_not_called(make_responder) -> None:
    status = LLMStatus()
    status.mark_down("killed")
    model = GatedChatModel(reply=sentence("You mentioned the payments API."), gate=asyncio.Event())
    _, events = await answered(make_responder, model, llm_status=status)
    assert model.calls == 0 and [s.source for s in says(events)] == ["template", "template"]


async def test_the_closing_statement_is_the_models_only_while_the_summary_plays(make_responder) -> None:
    model = fake_model(sentence("You mentioned the retry logic."), sentence("Good luck in your interviews!"))
    conversation, _ = await answered(make_responder, model)
    events = await collect(conversation.finish())
    last = says(events)[-1]
    assert (last.text.strip(), last.source) == ("Good luck in your interviews!", "model")
    summary = next(e for e in events if hasattr(e, "summary")).summary
    assert summary["spoken_by"] == conversation.spoken_by() and summary["spoken_by"]["model"] == 2


async def test_a_question_in_the_closing_is_replaced_by_the_template(make_responder) -> None:
    model = fake_model(sentence("You mentioned the retry logic."), sentence("Good luck, any questions?"))
    conversation, _ = await answered(make_responder, model)
    last = says(await collect(conversation.finish()))[-1]
    assert (last.text.strip(), last.source) == ("Good luck with your interviews!", "template")


async def test_spoken_by_is_counted_per_session_and_saved_with_what_was_heard(make_responder) -> None:
    model = fake_model(sentence("You mentioned the retry logic."))
    conversation = await make_responder(model).open(workflow="interview", thread_id=None, options=OPTIONS)
    opening = await start_interview(conversation)
    events = await collect(conversation.reply(turn(GOOD)))
    counts = {"model": 1, "template": len(says(opening)) + len(says(events)) - 1}
    assert conversation.spoken_by() == counts
    assert notices(events, "state")[-1]["spoken_by"] == counts
    text = spoken(events)
    await conversation.record_heard(spoken=text, heard=text, interrupted=False)
    assert conversation.values["spoken_by"] == counts  # in the checkpoint: survives a resume
    assert conversation.spoken_by() == counts  # and not counted twice


def test_remark_guard() -> None:
    said = GOOD
    guard = SentenceGuard(GuardSpec(mode="remark", echo_of=said))
    assert guard.check("You mentioned the retry logic.") == "speak_and_stop"
    for bad in (
        "You mentioned the retry logic and the metrics and the dashboards and the alerts and more.",
        "You mentioned our payments API.",
        "You mentioned excellent metrics.",
        "You mentioned a 50 percent drop.",
        "You mentioned Stripe payments.",
        "You mentioned the retry logic?",
        "You mentioned the sunshine.",
        "You mentioned that the retry logic dropped failed payments for or.",  # cut at the length limit
        "You mentioned the payments API and the retry-.",
    ):
        assert SentenceGuard(GuardSpec(mode="remark", echo_of=said)).check(bad) == "reject", bad
    figure = SentenceGuard(GuardSpec(mode="remark", echo_of=said))
    assert figure.check("You mentioned a 40 percent drop.") == "speak_and_stop"


def test_a_remark_refers_to_the_users_words_by_their_stems_not_by_generic_words() -> None:
    said = "I think it was a great question. We deployed the new billing service on a Friday."
    for remark, verdict in (
        ("You mentioned the deployment.", "speak_and_stop"),  # deployed ~ deployment (Snowball)
        ("You mentioned the billing services.", "speak_and_stop"),
        ("You mentioned a great question.", "reject"),  # shares generic words only
        ("You mentioned the weekend.", "reject"),
    ):
        assert SentenceGuard(GuardSpec(mode="remark", echo_of=said)).check(remark) == verdict, remark


def test_statement_guard() -> None:
    statement = SentenceGuard(GuardSpec(mode="statement", max_sentences=1))
    assert statement.check("Good luck!") == "speak"
    assert statement.check("See you.") == "stop"
    assert SentenceGuard(GuardSpec(mode="statement")).check("Interviewer: hello") == "reject"
    assert SentenceGuard(GuardSpec(mode="statement")).check("Any questions?") == "reject"
    long = " ".join(["word"] * 40) + "."
    assert SentenceGuard(GuardSpec(mode="statement")).check(long) == "reject"


def test_the_model_gets_the_playing_time_of_what_is_queued() -> None:
    context = Context(first_sentence_s=1.0)
    assert model_wait_s(context, "") == 0.0  # nothing playing: never wait in silence
    short, long = model_wait_s(context, "Sure."), model_wait_s(context, "Thanks, let's move on.")
    assert 0.0 <= short < long <= 1.0
    assert model_wait_s(context, "A long summary sentence. " * 10) == 1.0  # capped
    assert model_wait_s(Context(first_sentence_s=5.0, pace_to_speech=False), "") == 5.0
    assert speech_seconds("Thanks, let's move on.") < speech_seconds("Thanks, let's move on. And on.")


def test_the_schema_goes_in_the_dialect_of_the_server() -> None:
    embedded = build_chat_model(provider="embedded", base_url="http://127.0.0.1:9/v1", max_tokens=160)
    openai = build_chat_model(provider="openai", base_url="http://127.0.0.1:9/v1", api_key="k")
    assert embedded is not None and openai is not None
    schema = sentence_schema(REMARK_PATTERN)
    body = request_options(embedded, schema)["extra_body"]
    assert body["response_format"] == {"type": "json_object", "schema": schema}  # llama.cpp's
    assert body["max_tokens"] <= 48
    body = request_options(openai, schema)["extra_body"]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == schema and "max_tokens" not in body


def test_parse_sentence() -> None:
    assert parse_sentence('{"sentence": "You  mentioned it."}') == "You mentioned it."
    assert parse_sentence(' {"sentence":"A."} ') == "A."
    for bad in ("", "You mentioned it.", '{"sentence": ""}', '{"sentence": 3}', "[1]"):
        with pytest.raises(ValueError):
            parse_sentence(bad)


async def test_each_spoken_sentence_is_one_say_and_an_abbreviation_does_not_cut_it(make_responder) -> None:
    """The graph splits once, with the project's splitter: "Dr." inside a sentence stays in it."""
    conversation = await make_responder().open(
        workflow="english", thread_id=None, options={"user": "Dr. Ana Lee", "topic": "travel"}
    )
    spoken_says = says(await collect(conversation.opening()))
    first_two = [s.text.strip() for s in spoken_says[:2]]
    assert first_two == ["Hi Dr. Ana Lee!", "Let's practise speaking English together."]
    assert len({s.message_id for s in spoken_says}) == 1 and spoken_says[0].message_id
