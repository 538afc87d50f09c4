"""Barge-in repair: what the checkpointed messages must become once we know what the user heard.

`heard_fixes` is pure: given the thread's messages and, per message of the latest run, what it
spoke and what the user heard of it (`voice_io.protocols.HeardMessage`, from the voice loop; or
`split_heard` for a caller that knows only the heard text), it returns the updates for `add_messages`
(replaced by id, removed, or added for a node that was cancelled before it completed) plus an error
`ToolMessage` for every tool call that never got its result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, RemoveMessage, ToolMessage

from voice_io.protocols import HeardMessage

CANCELLED_TOOL = "cancelled: the user interrupted before the result was used"


def heard_fixes(
    messages: Sequence[AnyMessage], heard: Sequence[HeardMessage], *, interrupted: bool
) -> list[BaseMessage]:
    """Message updates that make the state say what was heard, not what was generated.

    `heard` has one entry per message the reply spoke, in speaking order. A message nobody heard
    any of is removed; one heard in part keeps the heard part (`additional_kwargs.interrupted/
    generated`); one whose node was cancelled before it completed is added with what was heard."""
    by_id = {m.id: m for m in messages}
    fixes: list[BaseMessage] = []
    for part in heard:
        if part.message_id is None:
            continue
        complete = part.heard.split() == part.spoken.split()
        existing = by_id.get(part.message_id)
        if existing is None:  # the node was cancelled before it completed: keep what was heard
            if part.heard.strip():
                fixes.append(
                    AIMessage(content=part.heard, id=part.message_id, additional_kwargs={"interrupted": True})
                )
        elif not part.heard.strip():
            fixes.append(RemoveMessage(id=part.message_id))
        elif not complete or part.heard != existing.content or interrupted:
            fixes.append(
                AIMessage(
                    content=part.spoken if complete else part.heard,
                    id=part.message_id,
                    additional_kwargs={
                        **existing.additional_kwargs,
                        "interrupted": not complete,
                        "generated": existing.content,
                    },
                )
            )
    return fixes + close_dangling_tool_calls(messages)


def split_heard(said: Mapping[str, Sequence[str]], heard: str) -> list[HeardMessage]:
    """Per message, for a caller that knows only the heard text as a whole (text mode): the heard
    words laid over the messages' sentences in speaking order."""
    out: list[HeardMessage] = []
    remaining = heard.split()
    for message_id, sentences in said.items():
        spoken = " ".join(sentences)
        count = len(spoken.split())
        taken, remaining = remaining[:count], remaining[count:]
        out.append(HeardMessage(message_id, spoken, spoken if len(taken) == count else " ".join(taken)))
    return out


def close_dangling_tool_calls(messages: Sequence[AnyMessage]) -> list[BaseMessage]:
    """An error ToolMessage for each tool call without a result (a model must see every answer)."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [
        ToolMessage(content=CANCELLED_TOOL, tool_call_id=call["id"], name=call["name"], status="error")
        for message in messages
        if isinstance(message, AIMessage)
        for call in message.tool_calls
        if call["id"] not in answered
    ]
