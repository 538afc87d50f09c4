"""Every route of the interview graph, on the rules brain with the real scorer (the semantic
evaluator on the packaged sentence encoder: fast and deterministic)."""

from __future__ import annotations

import pytest

from graph.workflows.interview.bank import load_bank
from tests.fakes import READY, start_interview
from tests.graph.conftest import GOOD, collect, finished, notices, spoken, turn
from voice_io.protocols import Say

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}

# Answers to the junior backend questions: be-api-design, then be-debug-prod.
API_PARTIAL = (
    "Each to-do item is a resource, so I would expose endpoints like /todos and /todos/{id}. I would use "
    "the HTTP methods GET, POST, PUT and DELETE for reading, creating, updating and deleting items."
)
"""On topic but thin: no example, little depth (the scorer asks for an example)."""
API_FULL = (
    f"{API_PARTIAL} The API returns clear status codes, for example 201 when an item is created and 404 "
    "when it does not exist. I would validate the input and reject an empty title with a 400. Lists are "
    "paginated with a limit and an offset so large lists stay fast."
)
"""Complete: nothing missing."""
API_EXAMPLE = (
    "At my last job I built this for our team's task tracker. Creating a task returned 201, a missing "
    "task gave 404, and a title that was too long was rejected with 400. We paginated the list because "
    "some teams had thousands of tasks."
)
DEBUG_FULL = (
    "Last year our checkout service failed for a few users only in production, never on staging. I was "
    "the on-call engineer, so it was my job to find it. I compared the logs and the metrics of failed "
    "and good requests and saw the errors only came from one region. My hypothesis was a time zone bug, "
    "and a test with that time zone reproduced it. I fixed the date parsing, added a test for it and an "
    "alert on the error rate. As a result failed checkouts dropped by 95 percent within 2 days, and we "
    "had zero incidents in the next 6 months."
)
EXAMPLE_FOLLOW_UP = "Can you give a concrete example from your own experience?"


def bank_text(question_id: str) -> str:
    return next(q.text for qs in load_bank().values() for q in qs if q.id == question_id)


async def start(make_responder, **options):
    """Greeting, "I'm ready.", question 1 (the events of both runs)."""
    conversation = await (make_responder()).open(
        workflow="interview", thread_id=None, options={**OPTIONS, **options}
    )
    events = await start_interview(conversation)
    return conversation, events


async def test_greet_checks_readiness_then_first_question(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await collect(conversation.opening())
    assert spoken(events) == (
        "Hi! I'm your interview coach. We'll practise 2 questions for a junior backend engineer role. "
        "Answer as you would in a real interview, and I'll give you feedback as we go. "
        "Are you ready for the first question?"
    )
    greeting = sum(isinstance(e, Say) for e in events)
    assert notices(events, "state") == [{
        "type": "state", "node": "greet", "phase": "ready_check",
        "question_index": 0, "question_count": 2, "follow_ups_asked": 0,
        "spoken_by": {"model": 0, "template": greeting},
    }]
    assert conversation.values["asked_ids"] == [] and conversation.values["question_index"] == 0

    events = await collect(conversation.reply(turn(READY)))
    assert spoken(events) == f"Let's begin. {bank_text('be-api-design')}"  # junior → difficulty 1, first
    assert not notices(events, "evaluation")
    states = notices(events, "state")
    assert [s["node"] for s in states] == ["understand", "begin", "select_question", "ask_question"]
    assert states[0]["act"] == "smalltalk"
    assert states[-1] == {
        "type": "state",
        "node": "ask_question",
        "phase": "awaiting_answer",
        "question_index": 1,
        "question_count": 2,
        "follow_ups_asked": 0,
        "act": "smalltalk",
        "spoken_by": {"model": 0, "template": greeting + sum(isinstance(e, Say) for e in events)},
    }
    assert conversation.values["asked_ids"] == ["be-api-design"]
    assert len(conversation.thread_id) >= 20 and not conversation.resumed


def scored(events: list) -> bool:
    return any(t["name"] == "score_answer" for t in notices(events, "tool"))


async def test_follow_up_taken_then_next_question_then_wrap_up(make_responder) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(turn(API_PARTIAL)))
    first = notices(events, "evaluation")[0]
    assert first["question_index"] == 1 and first["question_id"] == "be-api-design"
    assert "example" in first["missing"] and 1 <= first["score"] < 6
    assert first["strengths"] and first["improvements"] and first["better_phrasing"]
    assert "metrics" in first and first["turn_id"]
    assert [t["status"] for t in notices(events, "tool")] == ["start", "end"]
    assert all(t["name"] == "score_answer" and t["turn_id"] for t in notices(events, "tool"))
    assert spoken(events) == f"Thanks, one follow-up. {EXAMPLE_FOLLOW_UP}"
    assert notices(events, "state")[-1]["phase"] == "awaiting_follow_up"

    events = await collect(conversation.reply(turn(API_EXAMPLE)))
    # the follow-up answer revises question 1's evaluation (answer + follow-up scored together)
    revised = notices(events, "evaluation")[0]
    assert revised["question_index"] == 1 and revised["score"] > first["score"]
    assert "example" not in revised["missing"]
    assert "Here is the last question." in spoken(events)
    assert spoken(events).endswith(bank_text("be-debug-prod"))
    assert notices(events, "state")[-1]["question_index"] == 2

    events = await collect(conversation.reply(turn(DEBUG_FULL)))
    second = notices(events, "evaluation")[0]
    assert second["question_index"] == 2 and second["missing"] == []  # nothing to follow up on
    done = finished(events)
    assert done is not None
    report = done.summary
    assert [q["question_index"] for q in report["questions"]] == [1, 2]
    assert [q["score"] for q in report["questions"]] == [revised["score"], second["score"]]
    assert report["average"] == pytest.approx((revised["score"] + second["score"]) / 2, abs=0.05)
    assert report["answered"] == 2 and report["top_strength"] and report["top_improvement"]
    assert spoken(events).startswith("That's the end of the interview. You answered 2 questions")
    assert conversation.values["phase"] == "done"


@pytest.mark.parametrize(("answer", "follow_ups"), [(API_FULL, 1), (API_PARTIAL, 0)])
async def test_follow_up_not_taken_when_nothing_missing_or_disabled(
    make_responder, answer: str, follow_ups: int
) -> None:
    conversation, _ = await start(make_responder, follow_ups=follow_ups)
    events = await collect(conversation.reply(turn(answer)))
    assert notices(events, "evaluation")[0]["missing"] == ([] if follow_ups else ["example", "depth"])
    assert "follow_up" not in [s["node"] for s in notices(events, "state")]
    assert notices(events, "state")[-1]["question_index"] == 2
    assert spoken(events).endswith(bank_text("be-debug-prod"))


async def test_at_most_two_follow_ups(make_responder) -> None:
    conversation, _ = await start(make_responder, follow_ups=2, questions=1)
    first = await collect(conversation.reply(turn(API_PARTIAL)))
    second = await collect(conversation.reply(turn("I would send JSON in the request and response bodies.")))
    third = await collect(conversation.reply(turn("And I would write tests for every endpoint.")))
    assert spoken(first).endswith(EXAMPLE_FOLLOW_UP)
    assert notices(second, "evaluation")[0]["missing"]  # still thin: asked again, second and last time
    assert notices(second, "state")[-1]["phase"] == "awaiting_follow_up"
    assert notices(third, "evaluation")[0]["missing"]  # still thin, but two follow-ups are the limit
    assert finished(third) is not None and conversation.values["follow_ups_asked"] == 2


@pytest.mark.parametrize(
    ("answer", "opener"),
    [("", "Sorry, I didn't catch that."), ("xzq brrrt ggggg", "Sorry, I couldn't quite follow that.")],
)
async def test_empty_or_nonsense_answer_is_re_asked(make_responder, answer: str, opener: str) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(turn(answer)))
    assert spoken(events) == f"{opener} {bank_text('be-api-design')}"
    assert not notices(events, "evaluation") and not scored(events)
    events = await collect(conversation.reply(turn(answer)))
    assert "Take your time." in spoken(events)
    events = await collect(conversation.reply(turn(answer)))  # after two re-asks: scored as it is
    assert notices(events, "evaluation") and scored(events)


async def test_finish_mid_session_wraps_up_with_partial_report(make_responder) -> None:
    conversation, _ = await start(make_responder, questions=5)
    await collect(conversation.reply(turn(GOOD)))
    events = await collect(conversation.finish())
    assert isinstance(events[-1], type(finished(events))) and finished(events) is not None
    assert finished(events).summary["answered"] == 1
    assert finished(events).summary["question_count"] == 5
    again = await collect(conversation.finish())  # finishing twice is harmless: same report, no speech
    assert spoken(again) == "" and finished(again).summary == finished(events).summary


async def test_finish_before_any_answer(make_responder) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.finish())
    assert "didn't get to score an answer" in spoken(events)
    assert finished(events).summary["average"] is None


async def test_turn_after_the_end_is_answered_politely(make_responder) -> None:
    conversation, _ = await start(make_responder, questions=1, follow_ups=0)
    await collect(conversation.reply(turn(GOOD)))
    events = await collect(conversation.reply(turn("hello again")))
    assert "already finished" in spoken(events) and finished(events) is None


async def test_resume_says_welcome_back_with_the_question(make_responder) -> None:
    responder = make_responder()
    options = {**OPTIONS, "questions": 3, "follow_ups": 0}
    first = await responder.open(workflow="interview", thread_id=None, options=options)
    await start_interview(first)
    await collect(first.reply(turn(GOOD)))
    await collect(first.reply(turn(GOOD)))
    resumed = await responder.open(workflow="interview", thread_id=first.thread_id, options={})
    assert resumed.resumed and resumed.options["questions"] == 3
    assert [h.role for h in resumed.history()][:3] == ["agent", "user", "agent"]  # greeting, ready, Q1
    assert sum(1 for h in resumed.history() if h.role == "user") == 3
    events = await collect(resumed.opening())
    text = spoken(events)
    assert text.startswith("Welcome back — we were on question 3 of 3.")
    assert text.endswith(resumed.values["current_question"]["text"])


async def test_resume_unknown_thread(make_responder) -> None:
    from voice_io.errors import UnknownThread

    with pytest.raises(UnknownThread):
        await make_responder().open(workflow="interview", thread_id="nope", options={})


async def test_questions_alternate_and_never_repeat(make_responder) -> None:
    conversation, _ = await start(make_responder, questions=6, follow_ups=0, role="behavioural")
    for _ in range(6):
        await collect(conversation.reply(turn(GOOD)))
    ids = conversation.values["asked_ids"]
    assert len(ids) == len(set(ids)) == 6
    assert conversation.values["phase"] == "done"


async def test_scores_a_full_interview(make_responder) -> None:
    """End to end in text mode: every answer scored 1..10, the report averages them."""
    conversation, _ = await start(make_responder, questions=2, follow_ups=1)
    events = []
    for _ in range(6):
        events += await collect(conversation.reply(turn(GOOD)))
        if finished(events):
            break
    report = finished(events).summary
    assert 1 <= report["average"] <= 10
    assert all(1 <= q["score"] <= 10 for q in report["questions"])


@pytest.mark.parametrize(
    "ask_again", ["Can you repeat the question?", "Sorry, I didn't catch that.", "pardon?"]
)
async def test_asking_to_hear_the_question_again(make_responder, ask_again: str) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(turn(ask_again)))
    assert spoken(events) == f"Sure. {bank_text('be-api-design')}"
    assert not notices(events, "evaluation") and conversation.values["question_index"] == 1


async def test_a_failing_scoring_tool_is_reported_and_the_interview_goes_on(
    make_responder, monkeypatch
) -> None:
    conversation, _ = await start(make_responder)

    def broken(**_: object) -> dict:
        raise RuntimeError("rubric database is gone")

    with monkeypatch.context() as patch:
        patch.setattr("graph.workflows.interview.scoring.score_answer", broken)
        events = await collect(conversation.reply(turn(GOOD)))
    errors = notices(events, "error")
    assert errors and errors[0]["code"] == "tool_failed" and errors[0]["fatal"] is False
    assert [t["status"] for t in notices(events, "tool")] == ["start", "error"]
    assert spoken(events)  # the agent still says something and moves on
    events = await collect(conversation.reply(turn(GOOD)))
    assert notices(events, "evaluation") and scored(events)  # the next answer is scored again
