"""`graph.repair`: the pure barge-in repair, message by message."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage

from graph.repair import CANCELLED_TOOL, close_dangling_tool_calls, heard_fixes, split_heard
from voice_io.protocols import HeardMessage

THANKS_TEXT = "Thanks for that answer. It was detailed."
THANKS = AIMessage(content=THANKS_TEXT, id="ai-1", additional_kwargs={"node": "ack"})
QUESTION = AIMessage(content="How do you test an API?", id="ai-2", additional_kwargs={"node": "ask"})


def test_partly_heard_message_keeps_the_heard_words_and_an_unheard_one_is_removed() -> None:
    heard = [HeardMessage("ai-1", THANKS_TEXT, "Thanks for that"), HeardMessage("ai-2", QUESTION.content, "")]
    first, second = heard_fixes([HumanMessage("hi", id="u"), THANKS, QUESTION], heard, interrupted=True)
    assert isinstance(first, AIMessage) and first.id == "ai-1"
    assert first.content == "Thanks for that"
    assert first.additional_kwargs == {"node": "ack", "interrupted": True, "generated": THANKS_TEXT}
    assert isinstance(second, RemoveMessage) and second.id == "ai-2"


def test_fully_heard_message_is_flagged_not_interrupted_when_a_later_one_was_cut() -> None:
    heard = [
        HeardMessage("ai-1", THANKS_TEXT, THANKS_TEXT),
        HeardMessage("ai-2", QUESTION.content, "How do you"),
    ]
    fixes = heard_fixes([THANKS, QUESTION], heard, interrupted=True)
    assert [(f.id, f.content, f.additional_kwargs["interrupted"]) for f in fixes] == [
        ("ai-1", THANKS_TEXT, False),
        ("ai-2", "How do you", True),
    ]


def test_nothing_to_fix_when_everything_was_heard_uninterrupted() -> None:
    heard = [HeardMessage("ai-1", THANKS_TEXT, THANKS_TEXT)]
    assert heard_fixes([THANKS, QUESTION], heard, interrupted=False) == []


def test_cancelled_node_message_is_added_with_what_was_heard_and_not_when_nothing_was() -> None:
    fixes = heard_fixes(
        [THANKS], [HeardMessage("ai-9", "Let me think about that one.", "Let me")], interrupted=True
    )
    assert [(f.id, f.content, f.additional_kwargs) for f in fixes] == [
        ("ai-9", "Let me", {"interrupted": True})
    ]
    assert heard_fixes([THANKS], [HeardMessage("ai-9", "Let me think.", "")], interrupted=True) == []


def test_a_message_without_id_is_left_alone() -> None:
    assert heard_fixes([THANKS], [HeardMessage(None, "Okay.", "")], interrupted=True) == []


def test_split_heard_lays_the_heard_words_over_the_messages_in_order() -> None:
    said = {"ai-1": ["Thanks for that answer.", "It was detailed."], "ai-2": ["How do you test an API?"]}
    assert split_heard(said, "Thanks for that answer. It was detailed. How do") == [
        HeardMessage("ai-1", THANKS_TEXT, THANKS_TEXT),
        HeardMessage("ai-2", "How do you test an API?", "How do"),
    ]
    assert [m.heard for m in split_heard(said, "")] == ["", ""]


def test_dangling_tool_call_gets_an_error_result_and_answered_ones_do_not() -> None:
    call = AIMessage(content="", tool_calls=[{"name": "score_answer", "args": {}, "id": "c1"}], id="ai-c")
    done = AIMessage(content="", tool_calls=[{"name": "get_progress", "args": {}, "id": "c2"}], id="ai-d")
    answer = ToolMessage(content="{}", tool_call_id="c2", name="get_progress")
    fixes = close_dangling_tool_calls([call, done, answer])
    assert len(fixes) == 1
    fix = fixes[0]
    assert isinstance(fix, ToolMessage)
    assert (fix.tool_call_id, fix.name, fix.status) == ("c1", "score_answer", "error")
    assert fix.content == CANCELLED_TOOL
    assert heard_fixes([call], [], interrupted=True) == fixes
