"""Scripted interview conversations for every dialogue act (text mode, rules brain, the real
sentence encoder): only answers are scored, the question index holds, replies fit the turn."""

from __future__ import annotations

import pytest

from graph.workflows.interview import prompts
from graph.workflows.interview.bank import load_bank
from tests.fakes import start_interview
from tests.graph.conftest import GOOD, collect, finished, notices, spoken, turn

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}
FIRST = next(q for q in load_bank()["backend engineer"] if q.id == "be-api-design")


async def start(make_responder):
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)  # greeting, "I'm ready.", question 1
    return conversation


def scored(events) -> bool:
    return any(t["name"] == "score_answer" for t in notices(events, "tool"))


async def say_turn(conversation, text: str):
    events = await collect(conversation.reply(turn(text)))
    state = notices(events, "state")[-1]
    return events, spoken(events), state


async def test_a_late_i_am_ready_is_not_scored_and_the_question_stays(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Hello, I'm ready!")
    assert not notices(events, "evaluation") and not scored(events)
    assert state["question_index"] == 1 and state["act"] == "smalltalk"
    assert text.endswith(FIRST.text)


async def test_a_team_question_is_answered_then_back_to_the_question(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Before I answer, how big is the team?")
    assert not notices(events, "evaluation") and state["act"] == "question"
    assert "six backend engineers" in text and text.endswith(FIRST.text)
    events, text, _ = await say_turn(conversation, "And which technologies do you use?")
    assert "Python and PostgreSQL" in text and not notices(events, "evaluation")
    assert conversation.values["question_index"] == 1


async def test_a_rephrase_request_gets_the_same_question_in_other_words(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Could you rephrase that, please?")
    assert not notices(events, "evaluation") and state["act"] == "clarify"
    assert FIRST.text not in text
    assert {"design", "rest", "api", "to-do", "list"} <= set(text.lower().replace("?", "").split())
    assert state["question_index"] == 1


async def test_i_dont_know_gets_a_hint_then_is_skipped_not_scored(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "I don't know.")
    assert not notices(events, "evaluation") and state["act"] == "pass"
    assert "hint" in text.lower() and text.endswith(FIRST.text) and state["question_index"] == 1
    events, text, state = await say_turn(conversation, "Sorry, I really have no idea.")
    assert not notices(events, "evaluation") and not scored(events)
    assert "skip" in text.lower() and state["question_index"] == 2
    events = await collect(conversation.reply(turn(GOOD)))
    assert notices(events, "evaluation")[0]["question_index"] == 2
    done = finished(await collect(conversation.finish()))
    assert done is not None
    assert [s["question_id"] for s in done.summary["skipped"]] == ["be-api-design"]
    assert [q["question_index"] for q in done.summary["questions"]] == [2]


async def test_thinking_aloud_gets_time_and_nothing_else_changes(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, "Hmm, let me think about that for a second.")
    assert text == "Take your time." and state["act"] == "thinking"
    assert not notices(events, "evaluation") and state["question_index"] == 1
    events, _, _ = await say_turn(conversation, GOOD)
    assert notices(events, "evaluation")[0]["question_index"] == 1


async def test_asking_to_stop_wraps_up(make_responder) -> None:
    conversation = await start(make_responder)
    events, text, _ = await say_turn(conversation, "Can we stop here? I have to go.")
    assert finished(events) is not None and not notices(events, "evaluation")
    assert "end of our session" in text


@pytest.mark.parametrize(("said", "detail"), [("Can we do easier questions?", "easier"),
                                              ("These are too easy, make it harder.", "harder"),
                                              ("Can we change the topic?", "topic")])
async def test_a_level_or_topic_request_is_noted_and_the_question_stays(make_responder, said, detail) -> None:
    conversation = await start(make_responder)
    events, text, state = await say_turn(conversation, said)
    assert state["act"] == "control" and conversation.values["act"]["detail"] == detail
    assert text == f"{prompts.CONTROL_NOTED} {FIRST.text}"
    assert not notices(events, "evaluation") and not scored(events) and state["question_index"] == 1


async def test_an_answer_is_scored(make_responder) -> None:
    conversation = await start(make_responder)
    events, _, state = await say_turn(conversation, GOOD)
    assert state.get("act") in (None, "answer") and len(notices(events, "evaluation")) == 1 and scored(events)
    assert conversation.values["act"]["kind"] == "answer"
