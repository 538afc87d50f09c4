"""Interview turns that are not answers (graph.acts decided): none of them is scored.

    answer_candidate   a question to the interviewer: a brief answer as the role's team, then back
    rephrase_question  repeat / rephrase: the same question again, or in other words
    skip_question      "I don't know": a hint first, then skipped (no score) and on to the next one
    take_time          thinking aloud: "take your time", nothing else changes
    acknowledge        small talk / readiness: a short reply, then the question again
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime

from graph.acts import act_of
from graph.context import Context, context_of
from graph.nodes import ask, last_user_text, say
from graph.state import InterviewState
from graph.toolbox import agent_step, found
from graph.workflows.interview import prompts
from graph.workflows.interview.requests import direct_request
from graph.workflows.interview.team import team_answer
from graph.workflows.interview.tools import TOOLS

_REPHRASINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"^tell me about (?:a time (?:when )?)?(.+?)[.?]$",
         r"Can you describe, from your own experience, \1?"),
        (r"^describe (?:a time (?:when )?)?(.+?)[.?]$", r"Can you tell me about \1?"),
        (r"^how would you (.+?)[.?]$", r"What steps would you take to \1?"),
        (r"^how do you (.+?)[.?]$", r"What is your approach when you \1?"),
        (r"^what would you (.+?)[.?]$", r"If it were up to you, what would you \1?"),
        (r"^what (?:is|are) (.+?)[.?]$", r"Can you explain \1?"),
        (r"^why (.+?)[.?]$", r"What are the reasons \1?"),
    )
)


def rephrase(question: dict[str, Any]) -> str:
    """The same question in other words (offline: the question's shape turned around; its topic and
    key words stay). Falls back to naming the competency before the question."""
    text = str(question.get("text", "")).strip()
    for pattern, replacement in _REPHRASINGS:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    competency = question.get("competency") or "this"
    return f"I'd like to hear how you handle {competency}: {text}"


def _question(state: InterviewState) -> dict[str, Any]:
    return state.get("current_question") or {}


def _asked(state: InterviewState) -> str:
    return state.get("asked_text") or str(_question(state).get("text", ""))


async def _ask_again(runtime: Runtime[Context], state: InterviewState, node: str, prefix: str,
                     question: str | None = None) -> dict[str, Any]:
    return await ask(
        runtime,
        node=node,
        prefix=prefix,
        question=question or _asked(state),
        lead="",
        persona=prompts.PERSONA,
        context=prompts.ASK_CONTEXT_AGAIN,
    )


async def answer_candidate(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    """A question to the interviewer. With a tool model it answers, calling the interview's tools
    (learner_progress, search_questions: a question it finds is asked next); else, or when the
    model fails, the node calls those tools itself for "how am I doing?" or "another question"
    (matched by meaning) and a question about the team gets a brief answer as the role's team.
    Then back to the question."""
    role = str(context_of(runtime).options.get("role", "behavioural"))
    said = last_user_text(state)
    facts = await asyncio.to_thread(team_answer, role, said) if context_of(runtime).tool_model else ""
    task = prompts.QUESTION_TASK.format(question_id=_question(state).get("id"), question=_asked(state),
                                        said=said, facts=facts)
    step = await agent_step(runtime, state, node="answer_candidate", tools=TOOLS,
                            system=prompts.AGENT_SYSTEM.format(role=role), task=task)
    if isinstance(step, AIMessage):
        return {"messages": [step]}  # tools_condition: to the ToolNode, then back here
    questions = found(state, "search_questions")
    if questions and state.get("phase") == "awaiting_answer":
        return await _switch_question(runtime, state, questions[0], step or prompts.NEW_QUESTION)
    if step is None and (direct := await direct_request(runtime, state, said)) is not None:
        text, question, messages = direct  # no tool model (or it failed): the same tools, called here
        update = await (_switch_question(runtime, state, question, text) if question else
                        _ask_again(runtime, state, "answer_candidate", f"{text} {prompts.BACK_TO_QUESTION}"))
        return {"asked_text": _asked(state), **update, "messages": [*messages, *update["messages"]]}
    reply = step or await asyncio.to_thread(team_answer, role, said)
    update = await _ask_again(runtime, state, "answer_candidate", f"{reply} {prompts.BACK_TO_QUESTION}")
    return {**update, "asked_text": _asked(state)}


async def _switch_question(runtime: Runtime[Context], state: InterviewState, question: dict[str, Any],
                           prefix: str) -> dict[str, Any]:
    """The question found for the candidate takes the current one's place (same index)."""
    asked = [*(state.get("asked_ids") or [])[:-1], question["id"]]
    update = await ask(runtime, node="answer_candidate", prefix=prefix, question=question["text"], lead="",
                       persona=prompts.PERSONA, context=prompts.ASK_CONTEXT_AGAIN)
    return {**update, "current_question": question, "asked_ids": asked, "answer_parts": [],
            "follow_ups_asked": 0, "reasks": 0, "phase": "awaiting_answer"}


async def rephrase_question(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    _, detail = act_of(state)
    if detail == "repeat":
        update = await _ask_again(runtime, state, "rephrase_question", prompts.REPEAT_LEAD)
    else:
        update = await _ask_again(runtime, state, "rephrase_question", prompts.REPHRASE_LEAD,
                                  rephrase(_question(state)))
    return {**update, "asked_text": _asked(state), "reasks": state.get("reasks", 0) + 1}


def hint(question: dict[str, Any]) -> str:
    points = [str(p) for p in question.get("key_points") or []][:2]
    if question.get("kind") == "technical" and points:
        return prompts.HINT_TECHNICAL.format(points=" and ".join(points))
    return prompts.HINT_BEHAVIOURAL


async def skip_question(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    """First "I don't know" on a question: a hint and the question again; the second: skipped."""
    question = _question(state)
    hinted = list(state.get("hinted_ids", []))
    if state.get("phase") == "awaiting_follow_up":  # the main answer is scored already: move on
        return {**await say(runtime, node="skip_question", text=prompts.PASS_FOLLOW_UP), "phase": "skipped"}
    if question.get("id") not in hinted:
        update = await _ask_again(runtime, state, "skip_question", f"{prompts.PASS_OK} {hint(question)}")
        return {**update, "asked_text": _asked(state), "hinted_ids": [*hinted, question.get("id")]}
    update = await say(runtime, node="skip_question", text=prompts.SKIPPED)
    entry = {"question_index": state.get("question_index", 0), "question_id": question.get("id"),
             "question": question.get("text")}
    skipped = [*state.get("skipped", []), entry]
    return {**update, "skipped": skipped, "answer_parts": [], "phase": "skipped"}


async def take_time(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    return await say(runtime, node="take_time", text=prompts.TAKE_TIME)


async def acknowledge(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    kind, detail = act_of(state)
    prefix = prompts.CONTROL_NOTED if kind == "control" else (
        prompts.READY_ACK if detail == "ready" else prompts.SMALLTALK_ACK)
    update = await _ask_again(runtime, state, "acknowledge", prefix)
    return {**update, "asked_text": _asked(state)}
