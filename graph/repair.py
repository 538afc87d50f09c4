"""Barge-in repair: what the checkpointed messages must become once we know what the user heard.

`heard_fixes` is pure: given the thread's messages, the sentences each message of the latest run
spoke (in order) and the words the user heard, it returns the message updates for `add_messages`
(replaced by id, removed, or added for a node that was cancelled before it completed) plus an error
`ToolMessage` for every tool call that never got its result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, RemoveMessage, ToolMessage

CANCELLED_TOOL = "cancelled: the user interrupted before the result was used"


def heard_fixes(
    messages: Sequence[AnyMessage],
    said: Mapping[str, Sequence[str]],
    heard: str,
    *,
    interrupted: bool,
) -> list[BaseMessage]:
    """Message updates that make the state say what was heard, not what was generated.

    `said` maps message id → sentences spoken in the run, in speaking order; the heard words are
    laid over those messages in that order. A message nobody heard any of is removed; one heard in
    part keeps the heard part (`additional_kwargs.interrupted/generated`); one whose node was cancelled
    before it completed is added with what was heard."""
    by_id = {m.id: m for m in messages}
    fixes: list[BaseMessage] = []
    remaining = len(heard.split())
    for message_id, sentences in said.items():
        generated = " ".join(sentences)
        words = generated.split()
        take = min(len(words), remaining)
        remaining -= take
        heard_part = " ".join(words[:take]) if take < len(words) else generated
        existing = by_id.get(message_id)
        if existing is not None:
            if take == 0:
                fixes.append(RemoveMessage(id=message_id))
            elif heard_part != existing.content or interrupted:
                fixes.append(
                    AIMessage(
                        content=heard_part,
                        id=message_id,
                        additional_kwargs={
                            **existing.additional_kwargs,
                            "interrupted": take < len(words),
                            "generated": existing.content,
                        },
                    )
                )
        elif take:  # the node was cancelled before it completed: keep what was heard
            fixes.append(
                AIMessage(content=heard_part, id=message_id, additional_kwargs={"interrupted": True})
            )
    return fixes + close_dangling_tool_calls(messages)


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
