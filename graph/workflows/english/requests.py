"""Requests to the partner without a tool model: the learner's question is matched by meaning
(tools.acts.closest_topic, the offline encoder) to "a useful phrase" or "how am I doing?", and the
node calls the same tool a model would (find_phrases, learner_progress) itself."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import BaseMessage
from langgraph.runtime import Runtime

from graph.context import Context
from graph.state import EnglishState
from graph.toolbox import call_directly
from graph.workflows.english import prompts
from graph.workflows.english.persona import TOPICS as PERSONA_TOPICS
from graph.workflows.english.tools import find_phrases, learner_progress
from tools.acts import closest_topic

REQUESTS = {
    "phrases": "Can you teach me a useful phrase or expression, how do I say that in English?",
    "phrases.words": "What are some useful words for talking about this topic?",
    "progress": "How am I doing, is my English getting better, how many mistakes did I make?",
}


def request_of(said: str) -> str | None:
    """"phrases", "progress" or None (a question for the persona). Blocking."""
    topic = closest_topic(said, {**REQUESTS, **PERSONA_TOPICS}, min_similarity=0.35)
    return topic.split(".")[0] if topic in REQUESTS else None


def progress_text(progress: dict[str, Any]) -> str:
    now = progress.get("this_session") or {}
    turns, corrections = int(now.get("turns_taken") or 0), int(now.get("corrections") or 0)
    text = prompts.PROGRESS_NOW.format(
        turns=turns, turn_word="turn" if turns == 1 else "turns", corrections=corrections,
        correction_word="correction" if corrections == 1 else "corrections",
        level=now.get("level") or now.get("start_level") or "B1")
    if focus := str(now.get("most_frequent_correction") or "").rstrip(". "):
        text = f"{text} {prompts.PROGRESS_FOCUS.format(focus=focus)}"
    return text


async def direct_request(
    runtime: Runtime[Context], state: EnglishState, said: str, topic: str
) -> tuple[str, list[str], list[BaseMessage]] | None:
    """(what to say, the ids of the phrases taught, the tool call's messages), or None when the turn
    is not such a request (the persona answers it)."""
    kind = await asyncio.to_thread(request_of, said)
    if kind == "phrases":
        phrases, messages = await call_directly(runtime, state, find_phrases, {"topic": topic})
        if not phrases:
            return prompts.NO_PHRASE, [], messages
        return prompts.PHRASE_NOW.format(**phrases[0]), [phrases[0]["id"]], messages
    if kind == "progress":
        progress, messages = await call_directly(runtime, state, learner_progress, {})
        return (progress_text(progress) if progress else prompts.NO_PROGRESS), [], messages
    return None
