"""The interviewer's readiness turn (graph/workflows/interview/readiness.py), scripted in text mode on
the rules brain with the real sentence encoder: the greeting asks whether the candidate is ready,
question 1 comes only after their word, nothing said before it is scored, and the check survives a
resume."""

from __future__ import annotations

import pytest

from graph.workflows.interview.bank import load_bank
from graph.workflows.interview.prompts import READY_QUESTION
from graph.workflows.interview.readiness import not_ready
from tests.graph.conftest import collect, finished, notices, spoken, turn

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}
FIRST = next(q for q in load_bank()["backend engineer"] if q.id == "be-api-design")


async def greeted(make_responder, responder=None):
    conversation = await (responder or make_responder()).open(
        workflow="interview", thread_id=None, options=OPTIONS
    )
    events = await collect(conversation.opening())
    assert spoken(events).endswith(READY_QUESTION) and FIRST.text not in spoken(events)
    return conversation


async def say_turn(conversation, text: str):
    events = await collect(conversation.reply(turn(text)))
    return events, spoken(events), notices(events, "state")[-1]


def scored(events: list) -> bool:
    return any(t["name"] == "score_answer" for t in notices(events, "tool"))


def still_waiting(conversation, events, state) -> None:
    """Question 1 not asked, nothing scored, the readiness question is what a re-ask repeats."""
    assert not notices(events, "evaluation") and not scored(events)
    assert state["phase"] == "ready_check" and state["question_index"] == 0
    assert conversation.values["asked_ids"] == [] and conversation.values["asked_text"] == READY_QUESTION


@pytest.mark.parametrize("reply", ["Yes.", "Hello, I'm ready!", "Sure, let's start.", "Okay.",
                                   "Hi there, nice to meet you."])
async def test_readiness_or_small_talk_starts_question_1(make_responder, reply: str) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, reply)
    assert text == f"Let's begin. {FIRST.text}"
    assert state["node"] == "ask_question" and state["question_index"] == 1
    assert not notices(events, "evaluation") and not scored(events)


async def test_how_are_you_is_answered_before_question_1(make_responder) -> None:
    conversation = await greeted(make_responder)
    _, text, state = await say_turn(conversation, "Hi! How are you?")
    assert text == f"I'm well, thanks. Let's begin. {FIRST.text}" and state["question_index"] == 1


async def test_a_question_to_the_interviewer_is_answered_then_readiness_again(make_responder) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, "Before we start, how big is the team?")
    assert state["act"] == "question" and state["node"] == "check_ready"
    assert "six backend engineers" in text and text.endswith(READY_QUESTION)
    still_waiting(conversation, events, state)
    events, text, state = await say_turn(conversation, "Yes, I'm ready.")
    assert text.endswith(FIRST.text) and state["question_index"] == 1 and not scored(events)


async def test_a_request_to_explain_says_what_happens_then_readiness_again(make_responder) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, "What do you mean?")
    assert state["act"] == "clarify"
    assert text == ("I'll ask you 2 questions, one at a time, and give you feedback after each answer. "
                    f"You can ask me to repeat a question, or skip one. {READY_QUESTION}")
    still_waiting(conversation, events, state)


@pytest.mark.parametrize("reply", ["No, not yet.", "Hmm, let me think.", "Wait, one moment."])
async def test_not_yet_waits_for_the_word(make_responder, reply: str) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, reply)
    assert text == "No rush. Just tell me when you're ready."
    still_waiting(conversation, events, state)
    _, text, state = await say_turn(conversation, "Okay, let's go.")
    assert text.endswith(FIRST.text) and state["question_index"] == 1


async def test_unsure_is_reassured_then_readiness_again(make_responder) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, "I'm not sure.")
    assert text == f"No pressure: this is practice, and you can skip any question. {READY_QUESTION}"
    still_waiting(conversation, events, state)


async def test_an_answer_like_turn_counts_as_ready_and_is_not_scored(make_responder) -> None:
    conversation = await greeted(make_responder)
    background = ("Let's go. My background is five years of backend work, mostly Python services "
                  "and PostgreSQL, and before that I studied physics.")
    events, text, state = await say_turn(conversation, background)
    assert text == f"Thanks, good to know. Let's begin. {FIRST.text}"
    assert state["question_index"] == 1 and not notices(events, "evaluation") and not scored(events)
    events, _, _ = await say_turn(conversation, "I would model the lists and items as REST resources.")
    assert notices(events, "evaluation")[0]["question_index"] == 1
    answer = " ".join(conversation.values["answer_parts"])
    assert answer.startswith("I would model") and "physics" not in answer  # the readiness turn: no part


async def test_asking_to_stop_before_question_1_wraps_up(make_responder) -> None:
    conversation = await greeted(make_responder)
    events, text, _ = await say_turn(conversation, "Actually, can we stop? Something came up.")
    done = finished(events)
    assert done is not None and done.summary["answered"] == 0 and "end of our session" in text
    assert not notices(events, "evaluation") and conversation.values["phase"] == "done"


async def test_empty_turn_repeats_the_readiness_question(make_responder) -> None:
    conversation = await greeted(make_responder)
    events, text, state = await say_turn(conversation, "")
    assert text == f"Sorry, I didn't catch that. {READY_QUESTION}"
    still_waiting(conversation, events, state)


async def test_finish_before_question_1(make_responder) -> None:
    conversation = await greeted(make_responder)
    done = finished(await collect(conversation.finish()))
    assert done is not None and done.summary["answered"] == 0 and done.summary["average"] is None


async def test_a_resume_before_question_1_comes_back_to_the_readiness_check(make_responder) -> None:
    responder = make_responder()
    first = await greeted(make_responder, responder)
    await say_turn(first, "Before we start, where is the job, is it remote?")  # still not ready
    resumed = await responder.open(workflow="interview", thread_id=first.thread_id, options={})
    assert resumed.values["phase"] == "ready_check"
    events = await collect(resumed.opening())
    assert spoken(events) == f"Welcome back — we were on the introduction. {READY_QUESTION}"
    assert notices(events, "state")[-1]["question_index"] == 0 and resumed.values["asked_ids"] == []
    events, text, state = await say_turn(resumed, "I'm ready now.")
    assert text.endswith(FIRST.text) and state["question_index"] == 1 and not scored(events)


async def test_a_greeting_cut_off_by_a_barge_in_still_waits_for_readiness(make_responder) -> None:
    conversation = await greeted(make_responder)
    greeting = conversation.history()[-1].text
    await conversation.record_heard(spoken=greeting, heard="Hi! I'm your interview coach.", interrupted=True)
    assert conversation.values["phase"] == "ready_check"
    events, text, state = await say_turn(conversation, "Hello!")
    assert text.endswith(FIRST.text) and state["question_index"] == 1 and not scored(events)


@pytest.mark.parametrize(("text", "expected"), [
    ("No.", True), ("Not yet, sorry.", True), ("Nope", True), ("Hang on a second.", True),
    ("No problem, let's go.", False), ("Yes.", False), ("I'm ready.", False),
    ("No, I'm ready, go ahead.", False),
])
def test_not_ready_guard(text: str, expected: bool) -> None:
    assert not_ready(text) is expected
