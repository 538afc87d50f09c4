"""English-practice turns that are not answers (graph.acts decided); none is analysed or counted.

    answer_learner  a question to the partner: an answer from the persona, then the question back
    simplify        repeat / rephrase / "say it more simply": the same question (in simpler words);
                    from then on the level never rises by itself
    move_on         "I don't know" / pass: no problem, another question
    take_time       thinking aloud: "take your time"
    acknowledge     small talk: a short reply, then the question again
    change_course   easier / harder / another topic: the level or topic changes, a new question
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime

from graph.acts import act_of
from graph.context import Context, context_of
from graph.nodes import ask, last_user_text, say
from graph.state import EnglishState
from graph.toolbox import agent_step, found
from graph.workflows.english import prompts
from graph.workflows.english.content import LEVELS, TOPICS, choose_prompt, prompt_by_id
from graph.workflows.english.persona import persona_answer
from graph.workflows.english.requests import direct_request
from graph.workflows.english.tools import TOOLS


def _level(state: EnglishState, runtime: Runtime[Context]) -> str:
    return str(state.get("level") or context_of(runtime).options.get("level", "B1"))


def _current(state: EnglishState) -> dict[str, Any]:
    ids = state.get("prompt_ids") or []
    return (prompt_by_id(ids[-1]) if ids else None) or {"text": state.get("asked_text", ""), "simple": ""}


async def _ask(runtime: Runtime[Context], state: EnglishState, node: str, question: str, *,
               prefix: str = "", lead: str = "") -> dict[str, Any]:
    level = _level(state, runtime)
    return await ask(
        runtime,
        node=node,
        prefix=prefix,
        question=question,
        lead=lead,
        persona=prompts.PERSONA.format(level=level),
        context=prompts.CONTEXT.format(said=last_user_text(state)[:300]),
    )


async def answer_learner(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    """A question to the partner. With a tool model it answers, calling the partner's tools
    (find_phrases, learner_progress); else, or when the model fails, the node calls those tools
    itself for "a useful phrase" or "how am I doing?" (matched by meaning) and the persona answers
    other questions. Then the question back."""
    level, current, said = _level(state, runtime), _current(state), last_user_text(state)
    topic = state.get("topic") or context_of(runtime).options.get("topic", "daily life")
    facts = await asyncio.to_thread(persona_answer, said, level) if context_of(runtime).tool_model else ""
    task = prompts.QUESTION_TASK.format(topic=topic, question=current["text"], said=said, facts=facts)
    step = await agent_step(runtime, state, node="answer_learner", tools=TOOLS,
                            system=prompts.AGENT_SYSTEM.format(level=level), task=task)
    if isinstance(step, AIMessage):
        return {"messages": [step]}  # tools_condition: to the ToolNode, then back here
    taught = [p["id"] for p in found(state, "find_phrases")]
    messages: list[Any] = []
    if step is None and (direct := await direct_request(runtime, state, said, topic)) is not None:
        step, taught, messages = direct  # no tool model (or it failed): the same tools, called here
    reply = step if isinstance(step, str) else await asyncio.to_thread(persona_answer, said, level)
    update = await _ask(runtime, state, "answer_learner", current["text"], prefix=reply,
                        lead=prompts.ASK_BACK)
    update = {**update, "messages": [*messages, *update["messages"]]}
    return {**update, "phrases_taught": [*(state.get("phrases_taught") or []), *taught]} if taught else update


async def simplify(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    _, detail = act_of(state)
    current = _current(state)
    if detail == "repeat":
        update = await _ask(runtime, state, "simplify", current["text"], prefix=prompts.REPEAT_LEAD)
        return {**update, "asked_text": current["text"]}
    simpler = current.get("simple") or current["text"]
    update = await _ask(runtime, state, "simplify", simpler, prefix=prompts.SIMPLER_LEAD)
    return {**update, "simplified": True, "signal": min(0, state.get("signal", 0))}


async def _new_question(state: EnglishState, runtime: Runtime[Context], node: str, prefix: str, *,
                        level: str | None = None, topic: str | None = None) -> dict[str, Any]:
    level = level or _level(state, runtime)
    topic = topic or state.get("topic") or context_of(runtime).options.get("topic", "daily life")
    used = list(state.get("prompt_ids", []))
    prompt = choose_prompt(topic=topic, level=level, used=used)
    update = await _ask(runtime, state, node, prompt["text"], prefix=prefix)
    return {**update, "prompt_ids": [*used, prompt["id"]], "level": level, "topic": topic}


async def move_on(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    return await _new_question(state, runtime, "move_on", prompts.PASS_OK)


async def take_time(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    return await say(runtime, node="take_time", text=prompts.TAKE_TIME)


async def acknowledge(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    update = await _ask(runtime, state, "acknowledge", state.get("asked_text") or _current(state)["text"],
                        prefix=prompts.SMALLTALK_ACK)
    return update


async def change_course(state: EnglishState, runtime: Runtime[Context]) -> dict[str, Any]:
    _, detail = act_of(state)
    level = _level(state, runtime)
    index = LEVELS.index(level) if level in LEVELS else 1
    if detail in ("easier", "harder"):
        step = -1 if detail == "easier" else (0 if state.get("simplified") else 1)
        new = LEVELS[max(0, min(len(LEVELS) - 1, index + step))]
        changes = list(state.get("level_changes", []))
        if new != level:
            changes.append({"turn_index": state.get("turn_index", 0), "from": level, "to": new,
                            "asked": True})
        prefix = {-1: prompts.LEVEL_DOWN, 0: prompts.LEVEL_KEPT, 1: prompts.LEVEL_UP_ASKED}[step]
        update = await _new_question(state, runtime, "change_course", prefix, level=new)
        return {**update, "level_changes": changes, "signal": 0}
    said = last_user_text(state).lower()
    topic = next((t for t in TOPICS if t != "free" and t in said), "free")
    return await _new_question(state, runtime, "change_course", prompts.TOPIC_CHANGED, topic=topic)
