"""Reusable nodes and helpers shared by the workflows (workflow-specific nodes live next to each
builder). Nodes are `async def node(state, runtime) -> dict` returning partial state updates."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from graph import prompts
from graph.context import Context, context_of
from graph.guard import GuardSpec
from graph.speech import new_message_id, speak, spoken_message
from graph.state import ConversationState
from tools.text import split_sentences

log = logging.getLogger(__name__)

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def last_user_text(state: ConversationState) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return str(message.content).strip()
    return ""


_REPEAT = re.compile(
    r"\b(repeat|say (that|it) again|pardon|come again|what was the question|what's the question|"
    r"didn'?t (catch|hear|get|understand) (that|it|the question|you)|can you rephrase)\b",
    re.IGNORECASE,
)


_FIGURE = re.compile(
    r"[$€£¥]?\d[\d,.]*(?:k|m|bn|%|st|nd|rd|th|am|pm|s)?|q[1-4]|h[12]|fy\d\d(?:\d\d)?",
    re.IGNORECASE,
)
"""A figure said as an answer: an amount ("$10,000", "50k", "30%"), a date part ("3rd", "3pm",
"90s") or a quarter ("Q3", "H2", "FY27")."""


REPEAT_KEY = "1"
"""On the phone keypad, this key alone asks to hear the question again; other digits are answers."""


def turn_kind(state: ConversationState) -> str:
    """`classify_turn` of the last user turn; keypad turns (DTMF, `additional_kwargs["keypad"]`) are
    "repeat" for `REPEAT_KEY` and otherwise answers for the workflow's own validation ("ok")."""
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            keypad = message.additional_kwargs.get("keypad")
            if keypad is not None:
                return "repeat" if keypad == REPEAT_KEY else "ok"
            break
    return classify_turn(last_user_text(state))


def classify_turn(text: str) -> str:
    """One of "ok", "empty" (no words), "nonsense" (mostly not words), "repeat" (asks to hear it again).
    Figures ("$10,000", "50k", "20 to 30k", "Q3") count as words: they answer a question."""
    tokens = text.split()
    if _REPEAT.search(text) and len(tokens) <= 12:
        return "repeat"
    figures = [t for t in tokens if _FIGURE.fullmatch(t.strip(".,!?;:()\"'"))]
    if figures and len(figures) >= 0.5 * len(tokens):
        return "ok"
    words = _WORD.findall(" ".join(t for t in tokens if t not in figures))
    if not words:
        return "empty"
    wordlike = [w for w in words if re.search(r"[aeiouyAEIOUY]", w) and not re.search(r"(.)\1\1", w.lower())]
    if len(wordlike) + len(figures) < max(1, 0.6 * len(tokens)) or (len(words) == 1 and len(words[0]) > 15):
        return "nonsense"
    return "ok"


async def learner_progress(runtime: Runtime[Context], workflow: str) -> dict[str, Any] | None:
    """The learner's earlier sessions (None without a recorder, for "anonymous", or on error)."""
    context = context_of(runtime)
    if context.recorder is None or context.learner in ("", "anonymous"):
        return None
    try:
        return dict(await context.recorder.get_progress(learner=context.learner, workflow=workflow))
    except Exception:
        log.exception("get_progress failed for learner %s", context.learner)
        return None


def phrase_prompt(persona: str, task: str) -> list[BaseMessage]:
    return [SystemMessage(prompts.PHRASE_SYSTEM.format(persona=persona)), HumanMessage(task)]


def remark_prompt(persona: str, context: str, said: str) -> list[BaseMessage]:
    """The model's job after a user turn: name, in a few of their words, what they talked about."""
    words = said.split()
    text = " ".join(words[: prompts.REMARK_MAX_WORDS])
    return [
        SystemMessage(prompts.REMARK_SYSTEM.format(persona=persona, context=context)),
        HumanMessage(text),
    ]


async def ask(
    runtime: Runtime[Context],
    *,
    node: str,
    question: str,
    lead: str,
    persona: str,
    context: str,
    prefix: str = "",
    echo_of: str = "",
) -> dict[str, Any]:
    """Speak one question: `prefix` and `lead` at once, then (with `echo_of`, the user's words) the
    model's guarded remark on them while the lead plays, then the template `question`."""
    message_id = new_message_id()
    remark = remark_prompt(persona, context, echo_of) if echo_of.strip() else None
    text = await speak(
        runtime,
        message_id=message_id,
        prefix=prefix,
        fallback=f"{lead} {question}".strip(),
        question=question,
        prompt=remark,
        spec=GuardSpec(mode="remark", echo_of=echo_of) if remark else None,
    )
    sentences = split_sentences(text)
    asked = (
        question
        if text.endswith(question)
        else next((s for s in reversed(sentences) if s.endswith("?")), question)
    )
    return {"messages": [spoken_message(text, message_id, node)], "asked_text": asked}


async def say(
    runtime: Runtime[Context],
    *,
    node: str,
    text: str,
    persona: str = "",
    context: str = "",
    goal: str = "",
    prefix: str = "",
) -> dict[str, Any]:
    """Speak a statement: fixed `prefix`, then the model's one sentence for `goal` while the prefix
    plays (guarded), or the template `text`."""
    message_id = new_message_id()
    prompt = (
        phrase_prompt(persona, prompts.STATEMENT_TASK.format(context=context, goal=goal)) if goal else None
    )
    spoken = await speak(
        runtime,
        message_id=message_id,
        prefix=prefix,
        fallback=text,
        prompt=prompt,
        spec=GuardSpec(mode="statement", max_sentences=1, max_words=20) if goal else None,
    )
    return {"messages": [spoken_message(spoken, message_id, node)]}


async def finish(
    runtime: Runtime[Context],
    report: dict[str, Any],
    *,
    summary: str,
    text: str,
    persona: str,
    context: str,
    goal: str,
    before: Sequence[BaseMessage] = (),
) -> dict[str, Any]:
    """A workflow's `wrap_up`: speak the `summary`, then the closing `text` (or the model's phrasing
    of `goal`), keep what was spoken in the report and end the conversation. `before`: messages of
    this run that come before the spoken one (a tool call and its result)."""
    update = await say(
        runtime, node="wrap_up", prefix=summary, text=text, persona=persona, context=context, goal=goal
    )
    report["spoken_summary"] = update["messages"][0].content
    return {**update, "messages": [*before, *update["messages"]], "phase": "done", "summary": report}


async def reask(state: ConversationState, runtime: Runtime[Context]) -> dict[str, Any]:
    """The user's turn was empty or nonsense: say so kindly and repeat the last question."""
    kind = turn_kind(state)
    reasks = state.get("reasks", 0)
    opener = {"empty": prompts.REASK_EMPTY, "repeat": prompts.REASK_REPEAT}.get(kind, prompts.REASK_NONSENSE)
    if reasks >= 1 and kind != "repeat":
        opener = f"{opener} {prompts.REASK_AGAIN}"
    question = state.get("asked_text") or ""
    update = await say(runtime, node="reask", text=f"{opener} {question}".strip())
    return {**update, "reasks": reasks + 1}


async def closed(state: ConversationState, runtime: Runtime[Context]) -> dict[str, Any]:
    """A turn arrived after the workflow finished."""
    return await say(runtime, node="closed", text=prompts.ALREADY_DONE)
