"""`graph.repair.heard_fixes`: the pure barge-in repair, message by message."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage

from graph.repair import CANCELLED_TOOL, close_dangling_tool_calls, heard_fixes

THANKS = AIMessage(
    content="Thanks for that answer. It was detailed.", id="ai-1", additional_kwargs={"node": "ack"}
)
QUESTION = AIMessage(content="How do you test an API?", id="ai-2", additional_kwargs={"node": "ask"})
SAID = {"ai-1": ["Thanks for that answer.", "It was detailed."], "ai-2": ["How do you test an API?"]}


def test_partly_heard_message_keeps_the_heard_words_and_the_generated_text() -> None:
    fixes = heard_fixes(
        [HumanMessage("hi", id="u"), THANKS, QUESTION], SAID, "Thanks for that", interrupted=True
    )
    first, second = fixes
    assert isinstance(first, AIMessage) and first.id == "ai-1"
    assert first.content == "Thanks for that"
    assert first.additional_kwargs == {
        "node": "ack",
        "interrupted": True,
        "generated": "Thanks for that answer. It was detailed.",
    }
    assert isinstance(second, RemoveMessage) and second.id == "ai-2"


def test_fully_heard_message_is_flagged_only_when_the_reply_was_interrupted() -> None:
    heard = "Thanks for that answer. It was detailed. How do you"
    fixes = heard_fixes([THANKS, QUESTION], SAID, heard, interrupted=True)
    assert [(f.id, f.content) for f in fixes] == [
        ("ai-1", "Thanks for that answer. It was detailed."),
        ("ai-2", "How do you"),
    ]
    assert fixes[0].additional_kwargs["interrupted"] is False
    assert fixes[1].additional_kwargs["interrupted"] is True


def test_nothing_to_fix_when_everything_was_heard_uninterrupted() -> None:
    heard = "Thanks for that answer. It was detailed. How do you test an API?"
    assert heard_fixes([THANKS, QUESTION], SAID, heard, interrupted=False) == []


def test_cancelled_node_message_is_added_with_what_was_heard() -> None:
    fixes = heard_fixes([THANKS], {"ai-9": ["Let me think about that one."]}, "Let me", interrupted=True)
    assert len(fixes) == 1
    assert (fixes[0].id, fixes[0].content) == ("ai-9", "Let me")
    assert fixes[0].additional_kwargs == {"interrupted": True}


def test_cancelled_node_nobody_heard_leaves_no_message() -> None:
    assert heard_fixes([THANKS], {"ai-9": ["Let me think."]}, "", interrupted=True) == []


def test_dangling_tool_call_gets_an_error_result_and_answered_ones_do_not() -> None:
    call = AIMessage(content="", tool_calls=[{"name": "score_answer", "args": {}, "id": "c1"}], id="ai-c")
    done = AIMessage(content="", tool_calls=[{"name": "get_progress", "args": {}, "id": "c2"}], id="ai-d")
    answer = ToolMessage(content="{}", tool_call_id="c2", name="get_progress")
    fixes = close_dangling_tool_calls([call, done, answer])
    assert len(fixes) == 1
    fix = fixes[0]
    assert isinstance(fix, ToolMessage)
    assert (fix.tool_call_id, fix.name, fix.status, fix.content) == (
        "c1",
        "score_answer",
        "error",
        CANCELLED_TOOL,
    )
    assert heard_fixes([call], {}, "", interrupted=True) == fixes
