"""Every route of the English practice graph, on the rules brain with the real analyser
(tools.english: rule-based grammar, word lists, a difficulty signal; fast and deterministic)."""

from __future__ import annotations

from tests.graph.conftest import collect, finished, notices, spoken, turn

SENTENCE = "Last weekend I visited my grandmother and we cooked a big dinner together for the family."
"""Correct, fluent for B1: no correction, a signal to raise the level."""
FLUENT = (
    "Last summer I travelled across Portugal by train, and the coastline was absolutely breathtaking "
    "every single day."
)
"""Correct and fluent, with two words above B1 ("coastline", "breathtaking")."""
WRONG = "I goed to Italy with my grandmother last summer."
STRUGGLING = "I goed shop."
"""Short and wrong: a signal to lower the level."""
IRREGULAR = "This verb is irregular: its past form doesn't end in -ed."


async def start(make_responder, **options):
    conversation = await make_responder().open(
        workflow="english", thread_id=None, options={"topic": "travel", "level": "B1", **options}
    )
    return conversation, await collect(conversation.opening())


async def test_greet_asks_an_open_question_on_topic(make_responder) -> None:
    _, events = await start(make_responder)
    text = spoken(events)
    assert text.startswith("Hi! Let's practise speaking English together. We'll chat about travel.")
    assert text.endswith("Which country would you like to visit, and why?")
    assert notices(events, "state")[-1] == {
        "type": "state",
        "node": "greet",
        "phase": "talking",
        "turn_index": 0,
        "turns": 6,
        "level": "B1",
        "spoken_by": {"model": 0, "template": 6},
    }


async def test_gentle_correction_is_woven_into_the_reply(make_responder) -> None:
    conversation, _ = await start(make_responder, correction="gentle")
    events = await collect(conversation.reply(turn(WRONG)))
    text = spoken(events)
    assert text.startswith("Ah, so you went to Italy with your grandmother last summer.")
    assert "correction" not in text and "goed" not in text
    assert text.count("?") == 1
    progress = notices(events, "evaluation")[0]
    assert [(e["original"], e["correction"]) for e in progress["errors"]] == [("goed", "went")]
    assert progress["turn_index"] == 1 and progress["level"] == "B1" and progress["corrections_total"] == 1
    assert [t["name"] for t in notices(events, "tool")] == ["analyze_english", "analyze_english"]


async def test_explicit_correction_names_the_fix(make_responder) -> None:
    conversation, _ = await start(make_responder, correction="explicit")
    text = spoken(await collect(conversation.reply(turn("I goed to Italy last summer with friends."))))
    assert text.startswith(f"A small correction: say “went” instead of “goed” (irregular past). {IRREGULAR}")


async def test_no_error_no_correction(make_responder) -> None:
    conversation, _ = await start(make_responder, correction="explicit")
    events = await collect(conversation.reply(turn(SENTENCE)))
    text = spoken(events)
    assert "correction" not in text and text.endswith("?")
    assert notices(events, "evaluation")[0]["errors"] == []


async def test_words_above_the_level_are_counted_as_new_vocabulary(make_responder) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(turn(FLUENT)))
    progress = notices(events, "evaluation")[0]
    assert progress["new_vocabulary"] == ["coastline", "breathtaking"] and progress["vocabulary_total"] == 2
    again = notices(await collect(conversation.reply(turn(FLUENT))), "evaluation")[0]
    assert again["new_vocabulary"] == [] and again["vocabulary_total"] == 2  # counted once


async def test_level_goes_up_after_fluent_turns_then_down_after_struggling_ones(make_responder) -> None:
    conversation, _ = await start(make_responder)
    first = await collect(conversation.reply(turn(FLUENT)))
    assert notices(first, "evaluation")[0]["level_change"] == 0  # one good turn is not enough
    second = await collect(conversation.reply(turn(SENTENCE)))
    assert notices(second, "evaluation")[0]["level"] == "B2"
    assert notices(second, "evaluation")[0]["level_change"] == 1
    assert "a little harder" in spoken(second)
    await collect(conversation.reply(turn(STRUGGLING)))
    fourth = await collect(conversation.reply(turn(STRUGGLING)))
    assert notices(fourth, "evaluation")[0]["level"] == "B1" and "a little easier" in spoken(fourth)
    assert [c["to"] for c in conversation.values["level_changes"]] == ["B2", "B1"]


async def test_level_stays_within_bounds(make_responder) -> None:
    conversation, _ = await start(make_responder, level="A2")
    await collect(conversation.reply(turn(STRUGGLING)))
    events = await collect(conversation.reply(turn(STRUGGLING)))
    assert notices(events, "evaluation")[0]["level"] == "A2" and "easier" not in spoken(events)


async def test_reask_then_wrap_up_after_the_last_turn(make_responder) -> None:
    conversation, _ = await start(make_responder, turns=2)
    events = await collect(conversation.reply(turn("   ")))
    assert spoken(events).startswith("Sorry, I didn't catch that.") and not notices(events, "evaluation")
    await collect(conversation.reply(turn(WRONG)))
    events = await collect(conversation.reply(turn(FLUENT)))
    report = finished(events).summary
    assert report["turns_taken"] == 2 and report["vocabulary"] == ["coastline", "breathtaking"]
    assert len(report["practise"]) == 3 and report["practise"][0] == IRREGULAR.rstrip(".")
    text = spoken(events)
    assert text.startswith("Great practice! You spoke in 2 turns")
    assert "Three things to practise:" in text and "coastline, breathtaking" in text


async def test_resume_welcome_back(make_responder) -> None:
    responder = make_responder()
    first = await responder.open(workflow="english", thread_id=None, options={"topic": "work"})
    await collect(first.opening())
    await collect(first.reply(turn(SENTENCE)))
    again = await responder.open(workflow="english", thread_id=first.thread_id, options={})
    text = spoken(await collect(again.opening()))
    assert text.startswith("Welcome back — we were on turn 2 of 6, talking about work.")
    assert text.endswith("?")


async def test_full_session(make_responder) -> None:
    """End to end in text mode: three turns, then the report."""
    conversation, _ = await start(make_responder, turns=3)
    events = []
    for text in (
        SENTENCE,
        "I goed to the beach and it was very relaxing.",
        "I like trains more than planes.",
    ):
        events += await collect(conversation.reply(turn(text)))
    report = finished(events).summary
    assert report["turns_taken"] == 3 and len(report["practise"]) == 3


def test_recast_says_the_learners_sentence_back_corrected() -> None:
    from graph.workflows.english.recast import recast
    from tools.grammar import find_errors

    def said_back(text: str) -> str | None:
        return recast(text, find_errors(text))

    assert said_back("Last year I goed to Spain with my family.") == (
        "Ah, so last year you went to Spain with your family."
    )
    assert said_back("Paris is more better than London.") == "Ah, so Paris is better than London."
    assert said_back("I am agree with you.") == "Ah, so you agree with me."
    assert said_back("Yesterday I go to the market and I buyed apples.") == (
        "Ah, so yesterday you went to the market and you bought apples."
    )
    assert said_back("You are right, I goed home.") is None  # would garble: the corrections instead
    assert recast("Nothing to see here.", [{"original": "goed", "correction": "went"}]) is None


def test_prompt_echo_is_rejected() -> None:
    from graph.guard import GuardSpec, SentenceGuard

    spec = GuardSpec(mode="remark", echo_of="I went to Italy with my grandmother last summer.")
    assert SentenceGuard(spec).check("The person has just answered your previous question.") == "reject"
    assert SentenceGuard(spec).check("You mentioned a summer trip to Italy.") == "speak_and_stop"
