"""Barge-in: the reply task is cancelled; record_heard repairs the checkpointed state."""

from __future__ import annotations

import asyncio
import contextlib

from langchain_core.messages import AIMessage, ToolMessage

from graph.workflows.interview.bank import load_bank
from tests.fakes import start_interview
from tests.graph.conftest import GOOD, StallingChatModel, collect, notices, spoken, turn
from voice_io.protocols import HeardMessage, Say

OPTIONS = {"role": "backend engineer", "seniority": "junior", "questions": 3, "follow_ups": 0}


def text_of(question_id: str) -> str:
    return next(q.text for q in load_bank()["backend engineer"] if q.id == question_id)


async def reply_until_first_say(conversation, user_text: str) -> list:
    """Run a reply and cancel it as soon as the first sentence arrives (what the voice loop does)."""
    events: list = []
    first_say = asyncio.Event()

    async def run() -> None:
        async for event in conversation.reply(turn(user_text)):
            events.append(event)
            if isinstance(event, Say):
                first_say.set()

    task = asyncio.create_task(run(), name="reply")
    await asyncio.wait_for(first_say.wait(), 60)  # a deadlock guard (busy machines are slow)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return events


async def two_message_run(conversation) -> list:
    """Question 1 passed on twice: one run speaks "No problem, we'll skip this one..." (skip_question)
    and then question 2 (ask_question), two messages."""
    await start_interview(conversation)
    await collect(conversation.reply(turn("I don't know.")))  # a hint and question 1 again
    events = await collect(conversation.reply(turn("Sorry, I really have no idea.")))
    assert conversation.values["question_index"] == 2
    return events


def agent_messages(conversation) -> list[AIMessage]:
    return [m for m in conversation.values["messages"] if isinstance(m, AIMessage) and not m.tool_calls]


async def test_cancelled_mid_node_keeps_heard_text_and_undoes_the_counter(make_responder) -> None:
    # the model's remark hangs: the reply is cut while the template's lead plays
    model = StallingChatModel(replies=['{"sentence": "You mentioned the payments API."}'], stall_on=0)
    conversation = await make_responder(model).open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    events = await reply_until_first_say(conversation, GOOD)
    lead = "Thanks, let's move on."
    assert [e.text.strip() for e in events if isinstance(e, Say)] == [lead]
    await conversation.record_heard(spoken=lead, heard="Thanks, let's", interrupted=True)

    values = conversation.values
    last = agent_messages(conversation)[-1]
    assert last.content == "Thanks, let's" and last.additional_kwargs["interrupted"] is True
    # question 2 was selected (counter advanced) but never heard: undone
    assert values["question_index"] == 1 and values["asked_ids"] == ["be-api-design"]
    assert values["phase"] == "next_question"
    # no dangling tool call: every score_answer call has its ToolMessage
    calls = [c["id"] for m in values["messages"] if isinstance(m, AIMessage) for c in m.tool_calls]
    results = [m.tool_call_id for m in values["messages"] if isinstance(m, ToolMessage)]
    assert calls and set(calls) <= set(results)
    assert values["spoken_by"]["template"] >= 1  # the cut run's sentences are counted and saved

    # the next turn asks question 2 again, counted once
    model.stall_on = -1
    events = await collect(conversation.reply(turn("Sorry, what was the question?")))
    assert notices(events, "state")[-1]["question_index"] == 2
    assert conversation.values["asked_ids"] == ["be-api-design", "be-debug-prod"]
    assert spoken(events).endswith(text_of("be-debug-prod"))


async def test_completed_node_cut_before_the_question(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    events = await collect(conversation.reply(turn(GOOD)))
    generated = spoken(events)
    assert generated.startswith("Thanks, let's move on.")
    await conversation.record_heard(spoken=generated, heard="Thanks, let's move on.", interrupted=True)

    last = agent_messages(conversation)[-1]
    assert last.content == "Thanks, let's move on." and last.additional_kwargs["generated"] == generated
    assert conversation.values["question_index"] == 1
    history = [h.text for h in conversation.history()]
    assert history[-1] == "Thanks, let's move on."
    events = await collect(conversation.reply(turn("pardon?")))
    assert spoken(events).endswith(text_of("be-debug-prod"))
    assert conversation.values["question_index"] == 2


async def test_question_heard_before_the_cut_counts(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    await start_interview(conversation)
    events = await collect(conversation.reply(turn(GOOD)))
    generated = spoken(events)
    await conversation.record_heard(spoken=generated, heard=generated[:-1], interrupted=True)
    assert conversation.values["question_index"] == 2
    assert conversation.values["phase"] == "awaiting_answer"


async def test_unheard_message_of_an_earlier_node_is_removed(make_responder) -> None:
    """A run of two spoken messages (skip, then question 2); the user cut in during the first."""
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await two_message_run(conversation)
    before = [m.content for m in agent_messages(conversation)]
    assert before[-2].startswith("No problem, we'll skip this one.") and before[-1].endswith(
        text_of("be-debug-prod"))
    await conversation.record_heard(spoken=spoken(events), heard="No problem, we'll", interrupted=True)
    texts = [m.content for m in agent_messages(conversation)]
    assert texts == [*before[:-2], "No problem, we'll"]  # question 2 was never heard: removed
    assert conversation.values["question_index"] == 1 and conversation.values["phase"] == "next_question"
    events = await collect(conversation.reply(turn("hello")))
    assert spoken(events).endswith(text_of("be-debug-prod"))
    assert conversation.values["question_index"] == 2


async def test_a_cut_into_the_greeting_leaves_the_readiness_check(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await collect(conversation.opening())
    await conversation.record_heard(spoken=spoken(events), heard="Hi! I'm your", interrupted=True)
    assert [m.content for m in agent_messages(conversation)] == ["Hi! I'm your"]
    assert conversation.values["question_index"] == 0 and conversation.values["phase"] == "ready_check"
    events = await collect(conversation.reply(turn("hello")))
    assert spoken(events).endswith(text_of("be-api-design"))


async def test_dangling_tool_call_is_closed(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    await collect(conversation.opening())
    graph, config = conversation._graph, conversation._config
    dangling = AIMessage(content="", tool_calls=[{"name": "get_progress", "args": {}, "id": "call_dangling"}])
    await graph.aupdate_state(config, {"messages": [dangling]}, as_node="closed")
    await conversation.record_heard(spoken="", heard="", interrupted=True)
    messages = (await graph.aget_state(config)).values["messages"]
    closing = [m for m in messages if isinstance(m, ToolMessage) and m.tool_call_id == "call_dangling"]
    assert len(closing) == 1 and closing[0].status == "error"


async def test_not_interrupted_leaves_state_alone(make_responder) -> None:
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await collect(conversation.opening())
    before = conversation.values["messages"]
    await conversation.record_heard(spoken=spoken(events), heard=spoken(events), interrupted=False)
    assert [m.content for m in conversation.values["messages"]] == [m.content for m in before]


async def test_heard_text_per_message_from_the_voice_loop(make_responder) -> None:
    """The voice loop reports what was heard of each message by id: no word counting."""
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await two_message_run(conversation)
    says = [e for e in events if isinstance(e, Say)]
    skip_id, question_id = dict.fromkeys(e.message_id for e in says)
    skipped = " ".join(e.text.strip() for e in says if e.message_id == skip_id)
    question = " ".join(e.text.strip() for e in says if e.message_id == question_id)
    heard = [
        HeardMessage(skip_id, skipped, skipped),
        HeardMessage(question_id, question, "Thanks, let's"),
    ]
    await conversation.record_heard(
        spoken=spoken(events), heard=f"{skipped} Thanks, let's", interrupted=True, messages=heard
    )
    texts = [(m.content, m.additional_kwargs.get("interrupted")) for m in agent_messages(conversation)]
    assert texts[-2:] == [(skipped, False), ("Thanks, let's", True)]
    assert conversation.values["question_index"] == 1  # question 2 was not heard: not counted


async def test_two_reports_of_the_same_cut_repair_once(make_responder) -> None:
    """An interruption and a closing connection may both report what was heard, at once."""
    conversation = await make_responder().open(workflow="interview", thread_id=None, options=OPTIONS)
    events = await collect(conversation.opening())
    said = spoken(events)
    await asyncio.gather(
        conversation.record_heard(spoken=said, heard="Hi! I'm your", interrupted=True),
        conversation.record_heard(spoken=said, heard="Hi! I'm your", interrupted=True),
    )
    assert [m.content for m in agent_messages(conversation)] == ["Hi! I'm your"]
    assert conversation.values["question_index"] == 0
