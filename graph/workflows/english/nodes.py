"""English practice nodes: greet, analyze_turn, respond, wrap_up, welcome_back."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping
from statistics import fmean
from typing import Any

from langgraph.runtime import Runtime

from graph import prompts as common
from graph.context import Context, context_of
from graph.nodes import ask, finish, last_user_text, say
from graph.notices import notify
from graph.state import EnglishState
from graph.toolbox import call_directly
from graph.workflows.english import prompts
from graph.workflows.english.content import LEVELS, choose_prompt
from graph.workflows.english.persona import persona_answer
from graph.workflows.english.recast import correction_prefix as recast_prefix
from graph.workflows.english.tools import analyze_english, find_phrases
from voice_io.events import EvaluationEvent

log = logging.getLogger(__name__)

LEVEL_STEP = 2
"""Net difficulty signal (sum of analyze_english's -1/0/+1) that moves the level one step."""


def _persona(level: str) -> str:
    return prompts.PERSONA.format(level=level)


def session_start(options: Mapping[str, Any], *, phase: str) -> dict[str, Any]:
    """What both exercises (conversation, read aloud) start a session with."""
    return {
        "phase": phase,
        "options": dict(options),
        "level": options.get("level", "B1"),
        "turn_index": 0,
        "turns": int(options.get("turns", 6)),
        "reasks": 0,
    }


async def greet(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    level, topic = options.get("level", "B1"), options.get("topic", "daily life")
    name = f" {options['user']}" if options.get("user") else ""
    intro = (prompts.GREETING_FREE if topic == "free" else prompts.GREETING).format(name=name, topic=topic)
    prompt = choose_prompt(topic=topic, level=level, used=[])
    update = await ask(
        runtime,
        node="greet",
        prefix=intro,
        question=prompt["text"],
        lead=prompts.FIRST_LEAD,
        persona=_persona(level),
        context="You are starting the conversation.",
    )
    return {
        **update,
        **session_start(options, phase="talking"),
        "signal": 0,
        "level_changes": [],
        "corrections": [],
        "vocabulary": [],
        "prompt_ids": [prompt["id"]],
        "word_counts": [],
        "progress": [],
    }


def adapt_level(level: str, signal: int, *, may_rise: bool = True) -> tuple[str, int, int]:
    """(new level, new running signal, change -1/0/+1). `may_rise` False (the learner asked for
    simpler words): the level can only stay or go down."""
    index = LEVELS.index(level)
    if not may_rise:
        signal = min(signal, 0)
    if signal >= LEVEL_STEP and index < len(LEVELS) - 1:
        return LEVELS[index + 1], 0, 1
    if signal <= -LEVEL_STEP and index > 0:
        return LEVELS[index - 1], 0, -1
    return level, max(-LEVEL_STEP, min(LEVEL_STEP, signal)), 0


async def analyze_turn(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    text = last_user_text(state)
    level = state.get("level", context_of(runtime).options.get("level", "B1"))
    result, messages = await call_directly(runtime, state, analyze_english, {"text": text, "level": level})
    if result is None:
        result = {"errors": [], "new_vocabulary": [], "difficulty_signal": 0, "word_count": len(text.split())}
    turn_index = state.get("turn_index", 0) + 1
    new_level, signal, change = adapt_level(
        level, state.get("signal", 0) + int(result.get("difficulty_signal", 0)),
        may_rise=not state.get("simplified", False),
    )
    known = list(state.get("vocabulary", []))
    fresh = [w for w in result.get("new_vocabulary", []) if w not in known]
    errors = list(result.get("errors", []))
    corrections = [*state.get("corrections", []), *({**e, "turn_index": turn_index} for e in errors)]
    word_counts = [*state.get("word_counts", []), int(result.get("word_count", len(text.split())))]
    level_changes = list(state.get("level_changes", []))
    if change:
        level_changes.append({"turn_index": turn_index, "from": level, "to": new_level})
    progress = {
        "workflow": "english",
        "turn_index": turn_index,
        "turns": state.get("turns", 0),
        "level": new_level,
        "level_change": change,
        "errors": errors,
        "new_vocabulary": fresh,
        "vocabulary_total": len(known) + len(fresh),
        "corrections_total": len(corrections),
        "word_count": word_counts[-1],
        "difficulty_signal": result.get("difficulty_signal", 0),
        "metrics": state.get("fluency") or {},
        "turn_id": state.get("turn_id"),
    }
    notify(runtime, EvaluationEvent(progress, turn_id=state.get("turn_id")))
    return {
        "messages": messages,
        "turn_index": turn_index,
        "level": new_level,
        "signal": signal,
        "level_changes": level_changes,
        "corrections": corrections,
        "vocabulary": known + fresh,
        "word_counts": word_counts,
        "progress": [*state.get("progress", []), progress],
        "reasks": 0,
        "phase": "analyzed",
    }


def correction_prefix(state: EnglishState, style: str) -> str:
    """The corrections of this turn's errors, decided by graph logic (never the model): a recast of
    every sentence with an error, all of its errors corrected, or (explicit) each fix and its rule."""
    turn = state.get("turn_index", 0)
    errors = [c for c in state.get("corrections", []) if c.get("turn_index") == turn]
    return recast_prefix(last_user_text(state), errors, style)


async def respond(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    level = state.get("level", "B1")
    prefix = correction_prefix(state, options.get("correction", "gentle"))
    changes = state.get("level_changes", [])
    if changes and changes[-1]["turn_index"] == state.get("turn_index"):
        prefix = (
            f"{prefix} {prompts.LEVEL_UP if changes[-1]['to'] > changes[-1]['from'] else prompts.LEVEL_DOWN}"
        )
    question = (state.get("act") or {}).get("question")
    if question:  # the answer ended with a question to the partner: answer it first
        prefix = f"{prefix} {await asyncio.to_thread(persona_answer, question, level)}"
    used = list(state.get("prompt_ids", []))
    topic = state.get("topic") or options.get("topic", "daily life")
    prompt = choose_prompt(topic=topic, level=level, used=used)
    said = last_user_text(state)
    reaction = prompts.REACTIONS[state.get("turn_index", 0) % len(prompts.REACTIONS)]
    update = await ask(
        runtime,
        node="respond",
        prefix=prefix.strip(),
        question=prompt["text"],
        lead=reaction,
        persona=_persona(level),
        context=prompts.CONTEXT.format(said=said[:300]),
        echo_of=said,
    )
    return {**update, "prompt_ids": [*used, prompt["id"]], "phase": "talking"}


def build_report(state: EnglishState, options: dict[str, Any]) -> dict[str, Any]:
    corrections = state.get("corrections", [])
    level = state.get("level", options.get("level", "B1"))
    counted = Counter(c.get("explanation") or c.get("correction") for c in corrections)
    practise = [text.rstrip(". ") for text, _ in counted.most_common(3) if text]
    for item in prompts.PRACTICE_BY_LEVEL.get(level, prompts.PRACTICE_BY_LEVEL["B1"]):
        if len(practise) >= 3:
            break
        practise.append(item)
    words = state.get("word_counts", [])
    return {
        "workflow": "english",
        "topic": options.get("topic"),
        "correction": options.get("correction"),
        "turns_taken": state.get("turn_index", 0),
        "turns": state.get("turns", options.get("turns")),
        "start_level": options.get("level"),
        "end_level": level,
        "level_changes": state.get("level_changes", []),
        "corrections": corrections,
        "vocabulary": state.get("vocabulary", []),
        "average_words_per_turn": round(fmean(words), 1) if words else 0,
        "practise": practise[:3],
        "progress": state.get("progress", []),
    }


async def wrap_up(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    report = build_report(state, context_of(runtime).options)
    turns, errors = report["turns_taken"], len(report["corrections"])
    parts = [
        prompts.SUMMARY.format(
            turns=turns,
            turn_word="turn" if turns == 1 else "turns",
            words=round(report["average_words_per_turn"]),
            errors=errors,
            error_word="correction" if errors == 1 else "corrections",
        )
    ]
    if report["start_level"] != report["end_level"]:
        parts.append(prompts.SUMMARY_LEVEL.format(start=report["start_level"], end=report["end_level"]))
    if report["vocabulary"]:
        parts.append(prompts.SUMMARY_VOCAB.format(words=", ".join(report["vocabulary"][:5])))
    parts.append(prompts.SUMMARY_PRACTISE.format(items="; ".join(report["practise"])))
    topic = state.get("topic") or context_of(runtime).options.get("topic")
    args = {"topic": topic, "level": report["end_level"]}
    phrases, found = await call_directly(runtime, state, find_phrases, args)
    if phrases:
        report["phrase_to_try"] = phrases[0]
        parts.append(prompts.PHRASE_TO_TRY.format(**phrases[0]))
    return await finish(
        runtime,
        report,
        summary=" ".join(parts),
        text=prompts.CLOSING,
        persona=_persona(report["end_level"]),
        context="The practice conversation is over.",
        goal=prompts.CLOSING_GOAL,
        before=found,
    )


async def welcome_back(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    where = prompts.WELCOME_BACK_WHERE.format(
        index=state.get("turn_index", 0) + 1,
        count=state.get("turns", 0),
        topic=state.get("options", {}).get("topic", "anything"),
    )
    text = common.WELCOME_BACK.format(where=where)
    if state.get("asked_text"):
        text = f"{text} {state['asked_text']}"
    return await say(runtime, node="welcome_back", text=text)
