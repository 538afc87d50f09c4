"""Intake (a spec: graph/workflows/intake/intake.yaml): fields in order, re-ask invalid answers,
validated record at the end."""

from __future__ import annotations

from tests.graph.conftest import collect, finished, notices, spoken, turn


async def start(make_responder):
    conversation = await make_responder().open(workflow="intake", thread_id=None, options={})
    return conversation, await collect(conversation.opening())


async def test_full_intake_with_re_asks(make_responder) -> None:
    conversation, events = await start(make_responder)
    greeting = "Hello! I'll take a few details so the right person can help you."
    assert spoken(events) == f"{greeting} Let's start. To start, what's your name?"
    events = await collect(conversation.reply(turn("call me agent 007")))
    assert spoken(events) == "I just need your name, for example Maria Lopez. To start, what's your name?"
    assert notices(events, "evaluation")[0]["valid"] is False
    events = await collect(conversation.reply(turn("my name is maria lopez")))
    assert spoken(events).endswith("What can we help you with today, in a few words?")
    assert notices(events, "state")[-1]["fields_done"] == 1
    await collect(conversation.reply(turn("A billing problem.")))
    await collect(conversation.reply(turn("I was charged twice for my March invoice.")))
    events = await collect(conversation.reply(turn("I am not sure really")))
    assert spoken(events).startswith("Please say low, medium or high.")
    events = await collect(conversation.reply(turn("It's quite urgent actually")))
    report = finished(events).summary
    assert report["complete"] and report["record"] == {
        "name": "Maria Lopez",
        "reason": "A billing problem.",
        "details": "I was charged twice for my March invoice.",
        "urgency": "high",
    }
    assert spoken(events).startswith(
        "Thank you, Maria Lopez. I've noted your request about A billing problem, with high urgency."
    )


async def test_gives_up_on_a_field_after_three_tries_and_reports_it_missing(make_responder) -> None:
    conversation, _ = await start(make_responder)
    for _ in range(3):
        events = await collect(conversation.reply(turn("call me agent 007")))
    assert spoken(events).endswith("What can we help you with today, in a few words?")
    events = await collect(conversation.finish())
    report = finished(events).summary
    assert not report["complete"] and report["missing"] == ["name", "reason", "details", "urgency"]


async def test_resume_and_empty_turn(make_responder) -> None:
    responder = make_responder()
    first = await responder.open(workflow="intake", thread_id=None, options={"user": "Sam"})
    await collect(first.opening())
    await collect(first.reply(turn("Sam Jones")))
    events = await collect(first.reply(turn("")))
    assert spoken(events).startswith("Sorry, I didn't catch that.")
    again = await responder.open(workflow="intake", thread_id=first.thread_id, options={})
    text = spoken(await collect(again.opening()))
    assert text.startswith("Welcome back — we were on 1 of 4 details.")


async def test_keypad_one_repeats_the_question_and_other_digits_are_answers(make_responder) -> None:
    from voice_io.protocols import UserTurn

    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(UserTurn(turn_id="k1", text="1", source="dtmf")))
    assert spoken(events) == "Sure. To start, what's your name?"
    events = await collect(conversation.reply(UserTurn(turn_id="k2", text="42", source="dtmf")))
    # digits go to the field's own validation (not "I didn't catch that")
    assert spoken(events).startswith("I just need your name")
    assert notices(events, "evaluation")[0]["valid"] is False
    events = await collect(conversation.reply(turn("typed 1")))
    assert not spoken(events).startswith("Sure.")
