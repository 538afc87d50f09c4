"""Requests to the coach without a tool model: the candidate's question is matched by meaning
(tools.acts.closest_topic, the offline encoder) to "how am I doing?" or "another question", and the
node calls the same tool a model would (learner_progress, search_questions) itself."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from langchain_core.messages import BaseMessage
from langgraph.runtime import Runtime

from graph.context import Context, context_of
from graph.state import InterviewState
from graph.toolbox import call_directly
from graph.workflows.interview import prompts
from graph.workflows.interview.team import TOPICS as TEAM_TOPICS
from graph.workflows.interview.tools import learner_progress, question_candidates, search_questions
from tools.acts import closest_topic

REQUESTS = {
    "progress": "How am I doing so far in this interview, what are my scores?",
    "progress.last": "How did I do on that answer, was it good?",
    "question": "Can you give me another question instead, a harder or an easier one?",
    "question.subject": "Give me a harder question about a specific topic.",
}
_ASKS_FOR_QUESTION = re.compile(
    r"\b(?:give|ask|get|have|try|want|need|do)\b.{0,20}\b(?:another|other|different|new|harder|easier|"
    r"tougher|simpler|more difficult)?\s*(?:question|one)\b.{0,8}\b(?:about|on|instead|please)\b|"
    r"\b(?:another|different|harder|easier|tougher|simpler) (?:question|one)\b", re.IGNORECASE)
"""A guard-rail beside meaning: the candidate asks for a question ("can I have a question about
teamwork?", "give me a harder one"); the subject's words pull the sentence's meaning towards it."""
_HARDER = re.compile(r"\b(?:harder|more difficult|tougher|challenging|advanced)\b", re.IGNORECASE)
_EASIER = re.compile(r"\b(?:easier|simpler|less difficult|basic)\b", re.IGNORECASE)


def request_of(said: str) -> str | None:
    """"progress", "question" or None (a question about the team, or anything else). Blocking."""
    topic = closest_topic(said, {**REQUESTS, **TEAM_TOPICS}, min_similarity=0.35)
    if topic in REQUESTS:
        return topic.split(".")[0]
    return "question" if _ASKS_FOR_QUESTION.search(said) else None


def _difficulty(said: str) -> int | None:
    """A guard-rail on the words: "harder" is 3, "easier" is 1."""
    return 3 if _HARDER.search(said) else 1 if _EASIER.search(said) else None


async def _competency(runtime: Runtime[Context], state: InterviewState, said: str) -> str | None:
    """The subject the candidate asks about: the role's competency closest in meaning, if any."""
    role = str(context_of(runtime).options.get("role", "behavioural"))
    asked = list(state.get("asked_ids") or [])
    candidates = await question_candidates(context_of(runtime).recorder, role, asked)
    competencies = {str(q["competency"]): str(q["competency"]) for q in candidates if q.get("competency")}
    if not competencies:
        return None
    return await asyncio.to_thread(closest_topic, said, competencies, min_similarity=0.3)


def progress_text(progress: dict[str, Any]) -> str:
    now, before = progress.get("this_session") or {}, progress.get("earlier_sessions") or {}
    if now.get("answered"):
        text = prompts.PROGRESS_NOW.format(answered=now["answered"], question_word=(
            "question" if now["answered"] == 1 else "questions"), average=now["average"])
        if now.get("weakest"):
            text = f"{text} {prompts.PROGRESS_WEAKEST.format(weakest=str(now['weakest']).replace('_', ' '))}"
    else:
        text = prompts.PROGRESS_NONE
    if before.get("average") is not None:
        text = f"{text} {prompts.PROGRESS.format(average=before['average'])}"
    return text


async def direct_request(
    runtime: Runtime[Context], state: InterviewState, said: str
) -> tuple[str, dict[str, Any] | None, list[BaseMessage]] | None:
    """(what to say, the question to ask instead or None, the tool call's messages), or None when
    the turn is not such a request (the team answers it)."""
    kind = await asyncio.to_thread(request_of, said)
    if kind == "progress":
        progress, messages = await call_directly(runtime, state, learner_progress, {})
        return (progress_text(progress) if progress else prompts.PROGRESS_UNKNOWN), None, messages
    if kind == "question" and state.get("phase") == "awaiting_answer":
        args = {"competency": await _competency(runtime, state, said), "difficulty": _difficulty(said)}
        found, messages = await call_directly(runtime, state, search_questions, args)
        if found:
            return prompts.NEW_QUESTION, found[0], messages
        return prompts.NO_OTHER_QUESTION, None, messages
    return None
