"""Every route of the interview graph, on the rules brain with a scripted scorer."""

from __future__ import annotations

import pytest

from graph.workflows.interview.bank import load_bank
from tests.graph.conftest import GOOD, collect, finished, notices, spoken, turn

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 2}


def bank_text(question_id: str) -> str:
    return next(q.text for qs in load_bank().values() for q in qs if q.id == question_id)


async def start(make_responder, **options):
    conversation = await (make_responder()).open(
        workflow="interview", thread_id=None, options={**OPTIONS, **options}
    )
    events = await collect(conversation.opening())
    return conversation, events


async def test_greet_then_first_question(make_responder) -> None:
    conversation, events = await start(make_responder)
    text = spoken(events)
    assert text.startswith(
        "Hi! I'm your interview coach. We'll practise 2 questions for a junior backend engineer role."
    )
    assert text.endswith(bank_text("be-api-design"))  # junior → difficulty 1, first in file order
    states = notices(events, "state")
    assert [s["node"] for s in states] == ["greet", "select_question", "ask_question"]
    assert states[-1] == {
        "type": "state",
        "node": "ask_question",
        "phase": "awaiting_answer",
        "question_index": 1,
        "question_count": 2,
        "follow_ups_asked": 0,
    }
    assert conversation.values["asked_ids"] == ["be-api-design"]
    assert len(conversation.thread_id) >= 20 and not conversation.resumed


async def test_follow_up_taken_then_next_question_then_wrap_up(make_responder, scorer) -> None:
    conversation, _ = await start(make_responder)
    scorer.missing = [["result", "metric"], [], []]
    events = await collect(
        conversation.reply(turn("I would use resources and HTTP verbs for the to-do items."))
    )
    evaluation = notices(events, "evaluation")[0]
    assert evaluation["question_index"] == 1 and evaluation["question_id"] == "be-api-design"
    assert evaluation["score"] == 6.0 and evaluation["missing"] == ["result", "metric"]
    assert evaluation["strengths"] == ["strength 1"] and evaluation["improvements"] == ["improvement 1"]
    assert evaluation["better_phrasing"] and "metrics" in evaluation and evaluation["turn_id"]
    assert [t["status"] for t in notices(events, "tool")] == ["start", "end"]
    assert all(t["name"] == "score_answer" and t["turn_id"] for t in notices(events, "tool"))
    assert spoken(events) == "Thanks, one follow-up. What was the result in the end?"
    assert notices(events, "state")[-1]["phase"] == "awaiting_follow_up"

    events = await collect(conversation.reply(turn(GOOD)))
    # the follow-up answer revises question 1's evaluation, then question 2 comes
    assert notices(events, "evaluation")[0]["question_index"] == 1
    assert scorer.calls[-1]["answer"].endswith(GOOD)  # answer + follow-up answer scored together
    assert "Here is the last question." in spoken(events)
    assert notices(events, "state")[-1]["question_index"] == 2

    events = await collect(conversation.reply(turn(GOOD)))
    assert not notices(events, "state")[-1]["node"] == "follow_up"
    done = finished(events)
    assert done is not None
    report = done.summary
    assert [q["question_index"] for q in report["questions"]] == [1, 2]
    assert report["average"] == 8.0 and report["answered"] == 2
    assert report["top_strength"] and report["top_improvement"]
    assert spoken(events).startswith("That's the end of the interview. You answered 2 questions")
    assert conversation.values["phase"] == "done"


async def test_follow_up_not_taken_when_nothing_missing_or_disabled(make_responder, scorer) -> None:
    conversation, _ = await start(make_responder, follow_ups=0)
    scorer.missing = [["example"]]
    events = await collect(conversation.reply(turn(GOOD)))
    assert "follow_up" not in [s["node"] for s in notices(events, "state")]
    assert notices(events, "state")[-1]["question_index"] == 2


async def test_at_most_two_follow_ups(make_responder, scorer) -> None:
    conversation, _ = await start(make_responder, follow_ups=2, questions=1)
    scorer.missing = [["example"], ["example", "result"], ["example"]]
    first = await collect(conversation.reply(turn(GOOD)))
    second = await collect(conversation.reply(turn(GOOD)))
    third = await collect(conversation.reply(turn(GOOD)))
    assert "concrete example" in spoken(first)
    assert "concrete example" in spoken(second)  # still missing: asked again, second and last time
    assert finished(third) is not None and conversation.values["follow_ups_asked"] == 2


@pytest.mark.parametrize(
    ("answer", "opener"),
    [("", "Sorry, I didn't catch that."), ("xzq brrrt ggggg", "Sorry, I couldn't quite follow that.")],
)
async def test_empty_or_nonsense_answer_is_re_asked(make_responder, scorer, answer: str, opener: str) -> None:
    conversation, _ = await start(make_responder)
    events = await collect(conversation.reply(turn(answer)))
    assert spoken(events) == f"{opener} {bank_text('be-api-design')}"
    assert not notices(events, "evaluation") and scorer.calls == []
    events = await collect(conversation.reply(turn(answer)))
    assert "Take your time." in spoken(events)
    events = await collect(conversation.reply(turn(answer)))  # after two re-asks: scored as it is
    assert notices(events, "evaluation")


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


async def test_resume_says_welcome_back_with_the_question(make_responder, scorer) -> None:
    responder = make_responder()
    first = await responder.open(workflow="interview", thread_id=None, options={**OPTIONS, "questions": 3})
    await collect(first.opening())
    scorer.missing = [[]]
    await collect(first.reply(turn(GOOD)))
    await collect(first.reply(turn(GOOD)))
    resumed = await responder.open(workflow="interview", thread_id=first.thread_id, options={})
    assert resumed.resumed and resumed.options["questions"] == 3
    assert [h.role for h in resumed.history()][:2] == ["agent", "agent"]
    assert sum(1 for h in resumed.history() if h.role == "user") == 2
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


async def test_real_rubric_scores_a_full_interview(make_responder) -> None:
    """End to end in text mode on the rules brain with the real tools.rubric."""
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
    make_responder, scorer, monkeypatch
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
    assert notices(events, "evaluation")  # the next answer is scored again
    assert scorer.calls
