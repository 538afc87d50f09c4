"""Scripted English-practice conversations for every dialogue act (text mode, rules brain, the real
analyser and sentence encoder), and the recast property over the grammar dev set."""

from __future__ import annotations

import pytest

from graph.workflows.english.content import load_prompts
from graph.workflows.english.persona import persona_answer
from graph.workflows.english.recast import recast
from tests.graph.conftest import collect, finished, notices, spoken, turn
from tests.tools.grammar_dev import CORRECT, ERRORS
from tools.grammar import find_errors

OPTIONS = {"level": "B1", "topic": "travel", "turns": 4}
FIRST = next(p for p in load_prompts() if p.text == "Which country would you like to visit, and why?")
FLUENT = ("When I was a student I worked in a small restaurant in the evenings, and it taught me how to "
          "stay calm with demanding customers. Nowadays I manage a team of four people.")


async def start(make_responder, **options):
    conversation = await make_responder().open(workflow="english", thread_id=None,
                                               options={**OPTIONS, **options})
    await collect(conversation.opening())
    return conversation


async def say_turn(conversation, text: str):
    events = await collect(conversation.reply(turn(text)))
    return events, spoken(events), notices(events, "state")[-1]


async def test_a_question_is_answered_from_the_persona_then_one_is_asked_back(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Where do you live?")
    assert not notices(events, "evaluation") and state["act"] == "question" and state["turn_index"] == 0
    assert "Bristol" in text and text.endswith(FIRST.text)
    _, again, _ = await say_turn(conversation, "Sorry, where do you live again?")
    assert "Bristol" in again  # the same fact every time
    assert persona_answer("Where are you from?", "B1") == persona_answer("Where do you live?", "B1")


async def test_say_it_more_simply_gets_the_same_question_simpler_and_the_level_never_rises(
    make_responder,
) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Can you say it more simply, please?")
    assert not notices(events, "evaluation") and state["act"] == "clarify"
    assert text.endswith(FIRST.simple) and "country" in text.lower() and state["level"] == "B1"
    levels = []
    for _ in range(3):  # fluent, long answers would raise the level
        events, _, state = await say_turn(conversation, FLUENT)
        levels.extend(e["level"] for e in notices(events, "evaluation"))
    assert levels and all(level == "B1" for level in levels)
    _, _, state = await say_turn(conversation, "Can we make it harder?")
    assert state["level"] == "B1"


async def test_a_recast_corrects_every_error_in_the_sentence(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, _ = await say_turn(conversation, "Yesterday I go to the market and I buyed some apples.")
    errors = notices(events, "evaluation")[0]["errors"]
    assert {(e["original"], e["correction"]) for e in errors} == {("I go", "I went"), ("buyed", "bought")}
    assert text.startswith("Ah, so yesterday you went to the market and you bought some apples.")
    assert "buyed" not in text and " go to" not in text


async def test_no_error_no_recast(make_responder) -> None:
    conversation = await start(make_responder)
    _, text, _ = await say_turn(conversation, "I would like to visit Japan because I love the food there.")
    assert not text.startswith("Ah, so") and "correction" not in text


async def test_explicit_mode_names_each_rule(make_responder) -> None:
    conversation = await start(make_responder, correction="explicit")
    _, text, _ = await say_turn(conversation, "Last year my parents goes to Japan and they was happy.")
    assert "(past time marker)" in text and "(plural subject)" in text and "“they were”" in text


@pytest.mark.parametrize(("said", "act", "node"), [
    ("I don't know.", "pass", "move_on"),
    ("Hmm, let me think.", "thinking", "take_time"),
    ("Thank you!", "smalltalk", "acknowledge"),
    ("Can we talk about something else?", "control", "change_course"),
    ("What do you mean?", "clarify", "simplify"),  # rephrase: the same question in simpler words
])
async def test_non_answers_are_not_analysed_or_counted(make_responder, said, act, node) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, said)
    assert not notices(events, "evaluation") and state["act"] == act and state["node"] == node
    assert state["turn_index"] == 0 and text


async def test_asking_to_stop_wraps_up(make_responder) -> None:
    conversation = await start(make_responder)
    events, _, _ = await say_turn(conversation, "I want to stop now.")
    assert finished(events) is not None and not notices(events, "evaluation")


@pytest.mark.parametrize("sentence", [s for _, s, _ in ERRORS])
def test_no_recast_contains_an_error_found_in_its_sentence(sentence: str) -> None:
    errors = find_errors(sentence)
    said = recast(sentence, errors)
    if said is None:
        return  # not said back (a "you" subject): the corrections are named instead
    assert find_errors(said) == []
    for error in errors:
        assert error["original"].lower() not in said.lower() or error["original"].lower() in (
            error["correction"].lower())


@pytest.mark.parametrize("sentence", CORRECT)
def test_a_recast_only_where_there_was_an_error(sentence: str) -> None:
    assert recast(sentence, find_errors(sentence)) is None
