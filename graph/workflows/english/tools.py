"""The English partner's tools (see `graph.toolbox`): one definition each, for a model that chooses
them (through the builder's `ToolNode`) and for the nodes that call them directly.

    find_phrases      useful phrases at the learner's level, on a topic (stored ones through the
                      recorder, else the packaged phrases.yaml)
    learner_progress  this session so far (turns, level, corrections, new words) and earlier sessions
    analyze_english   one learner turn: grammar errors with corrections, new vocabulary, a difficulty
                      signal (called by analyze_turn; the model is not given it)
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime

from graph.context import context_of
from graph.toolbox import earlier_sessions
from graph.workflows.english.analysis import analyze
from graph.workflows.english.content import LEVELS, TOPICS, load_phrases
from voice_io.errors import ToolError

log = logging.getLogger(__name__)


def _packaged(level: str, topic: str | None, exclude: list[str], limit: int) -> list[dict[str, Any]]:
    return [p.model_dump() for p in load_phrases()
            if p.level == level and (topic is None or p.topic == topic) and p.id not in exclude][:limit]


@tool(response_format="content_and_artifact", parse_docstring=True)
async def find_phrases(
    runtime: ToolRuntime[Any, Any], topic: str | None = None, level: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Find useful English phrases, with their meaning and an example, to teach the learner. Use it
    when the learner asks how to say something, for useful expressions, or for new words.

    Args:
        topic: optional topic: "daily life", "travel", "work", "hobbies" or "free".
        level: optional CEFR level (A2, B1, B2 or C1); the learner's level when not given.
    """
    state, context = runtime.state, context_of(runtime)
    level = (level or state.get("level") or context.options.get("level") or "B1").upper()
    if level not in LEVELS:
        raise ToolError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    topic = (topic or "").strip().lower() or None
    if topic is not None and topic not in TOPICS:
        topic = None  # a subject outside the content: phrases of the level are better than none
    shown = [p for p in state.get("phrases_taught") or []]
    phrases: list[dict[str, Any]] = []
    if context.recorder is not None:
        phrases = await context.recorder.find_phrases(level=level, topic=topic, exclude_ids=shown, limit=3)
        if not phrases and topic is not None:
            phrases = await context.recorder.find_phrases(level=level, topic=None, exclude_ids=shown, limit=3)
    if not phrases:
        phrases = _packaged(level, topic, shown, 3) or _packaged(level, None, shown, 3)
    brief = [{k: p.get(k) for k in ("text", "meaning", "example")} for p in phrases]
    return json.dumps(brief or "no phrase found"), phrases


@tool(response_format="content_and_artifact", parse_docstring=True)
async def learner_progress(runtime: ToolRuntime[Any, Any]) -> tuple[str, dict[str, Any]]:
    """How the learner is doing: this session so far (turns, level now, corrections and the most
    frequent one, new words) and their earlier sessions. Use it when they ask how they are doing."""
    state = runtime.state
    corrections = list(state.get("corrections") or [])
    common = Counter(c.get("explanation") or c.get("correction") for c in corrections).most_common(1)
    session = {
        "turns_taken": state.get("turn_index", 0),
        "turns": state.get("turns", 0),
        "start_level": (state.get("options") or {}).get("level"),
        "level": state.get("level"),
        "corrections": len(corrections),
        "most_frequent_correction": common[0][0] if common else None,
        "new_words": list(state.get("vocabulary") or [])[:10],
    }
    earlier = await earlier_sessions(context_of(runtime), "english")
    progress = {"this_session": session, "earlier_sessions": earlier}
    return json.dumps(progress, default=str), progress


@tool(response_format="content_and_artifact", parse_docstring=True)
async def analyze_english(
    text: str, level: str, runtime: ToolRuntime[Any, Any]
) -> tuple[str, dict[str, Any]]:
    """Analyse one learner turn: grammar errors with corrections, new vocabulary, a difficulty signal.

    Args:
        text: what the learner said.
        level: the learner's CEFR level.
    """
    result = await asyncio.to_thread(analyze, text=text, level=level)
    return json.dumps(result, default=str), result


TOOLS: list[BaseTool] = [find_phrases, learner_progress]
"""What the partner's model may call (the builder's `ToolNode`)."""
