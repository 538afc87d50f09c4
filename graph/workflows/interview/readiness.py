"""The readiness turn between the greeting and question 1 (phase "ready_check"); never scored.

The greeting introduces the interview and ends with `prompts.READY_QUESTION`. The candidate's next
turn is understood by graph.acts (`understand`), then `route_ready` decides:

    ready, small talk, an answer-like turn  → begin → select_question → ask_question (question 1)
    a question to the interviewer           → check_ready: a brief answer as the role's team, ask again
    a request to explain                    → check_ready: what the interview will be like, ask again
    "I'm not sure", "not yet", thinking     → check_ready: no rush (asked again / waits for the word)
    a request to stop                       → wrap_up

An answer-like turn ("let's go, my background is ...") counts as ready: it is acknowledged, not
scored. The phase is checkpointed like any other, so a session resumed here is asked again
(`welcome_back`), never taken straight to question 1.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, Literal

from langgraph.runtime import Runtime

from graph.acts import act_of
from graph.context import Context, context_of
from graph.nodes import last_user_text, say
from graph.state import InterviewState
from graph.workflows.interview import prompts
from graph.workflows.interview.report import plural
from graph.workflows.interview.team import team_answer

PHASE = "ready_check"

_NOT_YET = re.compile(
    r"^\W*(?:no|nope|nah|not (?:yet|really|quite)|wait|hang on|hold on|one (?:moment|minute|sec(?:ond)?)|"
    r"almost|in a (?:moment|minute|sec(?:ond)?))\b",
    re.IGNORECASE,
)
_GO = re.compile(r"\b(?:ready|start|begin|go ahead|let'?s go|let's do|problem|worries)\b", re.IGNORECASE)
_HOW_ARE_YOU = re.compile(r"\bhow are you\b|\bhow's it going\b", re.IGNORECASE)


def not_ready(text: str) -> bool:
    """A short "no" / "not yet" / "wait" to the readiness question (a guard-rail on the yes/no
    answer; "no problem, let's go" is ready)."""
    return bool(_NOT_YET.search(text)) and len(text.split()) <= 8 and not _GO.search(text)


def route_ready(state: InterviewState) -> Literal["begin", "check_ready", "wrap_up"]:
    kind, detail = act_of(state)
    if kind == "control" and detail == "stop":
        return "wrap_up"
    if kind in ("question", "clarify", "pass", "thinking") or not_ready(last_user_text(state)):
        return "check_ready"
    return "begin"


def acknowledgement(state: InterviewState) -> str:
    """What question 1 is prefixed with after this readiness turn ("" for a plain "I'm ready")."""
    kind, _ = act_of(state)
    text = last_user_text(state)
    if kind == "smalltalk" and _HOW_ARE_YOU.search(text):
        return prompts.READY_WELL
    if kind == "control":
        return prompts.READY_CONTROL
    if kind in ("answer", "smalltalk") and len(text.split()) >= 10:  # "let's go, my background is ..."
        return prompts.READY_NOTED
    return ""


async def begin(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    """The candidate is ready: question 1 comes next (phase "greeted": a run cut off here asks it
    on the next turn), prefixed with an acknowledgement of what they said."""
    return {"phase": "greeted", "ready_ack": acknowledgement(state)}


async def check_ready(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Not ready yet: answer what they asked, then ask again (or wait for their word)."""
    kind, _ = act_of(state)
    options = context_of(runtime).options
    if kind == "question":
        role = str(options.get("role", "behavioural"))
        prefix = await asyncio.to_thread(team_answer, role, last_user_text(state))
    elif kind == "clarify":
        count = int(state.get("question_count") or options.get("questions", 3))
        prefix = prompts.READY_EXPLAIN.format(count=count, question_word=plural(count))
    elif kind == "pass":
        prefix = prompts.READY_REASSURE
    else:  # "not yet", thinking aloud: no question, they say when
        update = await say(runtime, node="check_ready", text=prompts.READY_WAIT)
        return {**update, "asked_text": prompts.READY_QUESTION, "phase": PHASE}
    update = await say(runtime, node="check_ready", text=f"{prefix} {prompts.READY_QUESTION}")
    return {**update, "asked_text": prompts.READY_QUESTION, "phase": PHASE}
