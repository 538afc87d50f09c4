"""Interview nodes: greet, select_question, ask_question, evaluate_answer, follow_up, wrap_up,
welcome_back (the readiness turn after the greeting: readiness.py; turns that are not answers:
turns.py)."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime

from graph import prompts as common
from graph.context import Context, context_of
from graph.nodes import ask, finish, last_user_text, learner_progress, say
from graph.notices import notify
from graph.state import InterviewState
from graph.toolbox import agent_step, call_directly, tool_results
from graph.workflows.interview import prompts
from graph.workflows.interview.bank import choose_question
from graph.workflows.interview.report import answer_feedback, build_report, plural, spoken_summary
from graph.workflows.interview.tools import question_candidates, score_answer
from voice_io.events import EvaluationEvent

log = logging.getLogger(__name__)

MAX_FOLLOW_UPS = 2


async def greet(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    count = int(options.get("questions", 3))
    name = f" {options['user']}" if options.get("user") else ""
    template = prompts.GREETING_BEHAVIOURAL if options.get("role") == "behavioural" else prompts.GREETING
    text = template.format(
        name=name,
        count=count,
        question_word=plural(count),
        seniority=options.get("seniority", "mid"),
        role=options.get("role", "behavioural"),
    )
    progress = await learner_progress(runtime, "interview")
    if progress and progress.get("average") is not None:
        text = f"{text} {prompts.PROGRESS.format(average=progress['average'])}"
        if progress.get("weaknesses"):
            weakness = str(progress["weaknesses"][0]["criterion"]).replace("_", " ")
            text = f"{text} {prompts.PROGRESS_FOCUS.format(weakness=weakness)}"
    update = await say(runtime, node="greet", text=f"{text} {prompts.READY_QUESTION}")
    return {
        "progress": progress,
        **update,
        "asked_text": prompts.READY_QUESTION,
        "phase": "ready_check",  # graph/workflows/interview/readiness.py: question 1 comes next
        "options": dict(options),
        "question_index": 0,
        "question_count": count,
        "asked_ids": [],
        "evaluations": [],
        "follow_ups_asked": 0,
        "answer_parts": [],
        "current_question": None,
        "reasks": 0,
        "ready_ack": "",
    }


async def select_question(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    asked = list(state.get("asked_ids", []))
    role = options.get("role", "behavioural")
    candidates = await question_candidates(context_of(runtime).recorder, role, asked)
    kinds = [e.get("kind", "") for e in state.get("evaluations", [])]
    question = choose_question(
        candidates, seniority=options.get("seniority", "mid"), asked_ids=asked, asked_kinds=kinds
    )
    if question is None:  # bank exhausted: stop early
        return {"phase": "exhausted", "question_count": state.get("question_index", 0)}
    return {
        "current_question": question,
        "question_index": state.get("question_index", 0) + 1,
        "asked_ids": [*asked, question["id"]],
        "follow_ups_asked": 0,
        "answer_parts": [],
        "reasks": 0,
        "phase": "asking",
    }


async def ask_question(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    question = state["current_question"] or {}
    index, count = state.get("question_index", 1), state.get("question_count", 1)
    first = index == 1
    lead = prompts.LEAD_FIRST if first else (prompts.LEAD_LAST if index == count else prompts.LEAD_NEXT)
    answer = " ".join(state.get("answer_parts") or []) or last_user_text(state)
    update = await ask(
        runtime,
        node="ask_question",
        question=question["text"],
        lead=lead,
        prefix=state.get("ready_ack", "") if first else "",
        persona=prompts.PERSONA,
        context=prompts.ASK_CONTEXT_FIRST if first else prompts.ASK_CONTEXT_NEXT,
        echo_of="" if first else answer,  # before question 1 there is no answer to remark on
    )
    return {**update, "phase": "awaiting_answer", "ready_ack": ""}


async def evaluate_answer(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Score the answer with `score_answer`: the tool model calls it (through the ToolNode) when
    there is one, else, or when that call failed, this node calls it itself."""
    question = state.get("current_question") or {}
    parts = [*state.get("answer_parts", []), last_user_text(state)]
    scored = tool_results(state, "score_answer")
    if not scored:
        step = await agent_step(runtime, state, node="evaluate_answer", tools=[score_answer],
                                system=prompts.AGENT_SYSTEM.format(role=context_of(runtime).options.get(
                                    "role", "behavioural")), task=prompts.SCORE_TASK.format(
                                    question=question.get("text", ""), question_id=question.get("id")),
                                tool_choice="score_answer")
        if isinstance(step, AIMessage):
            return {"messages": [step]}
    messages: list[Any] = []
    if scored and scored[-1].status != "error":
        result = scored[-1].artifact
    else:
        args = {"question_id": question.get("id")}
        result, messages = await call_directly(runtime, state, score_answer, args)
    update: dict[str, Any] = {
        "messages": messages,
        "answer_parts": parts,
        "phase": "evaluated",
        "reasks": 0,
    }
    if result is None:
        return update
    evaluation = {
        "workflow": "interview",
        "question_index": state.get("question_index", 1),
        "question_id": question.get("id"),
        "question": question.get("text"),
        "competency": question.get("competency"),
        "kind": question.get("kind"),
        **answer_feedback(result),
        "follow_ups": state.get("follow_ups_asked", 0),
        "metrics": state.get("fluency") or {},
        "turn_id": state.get("turn_id"),
    }
    notify(runtime, EvaluationEvent(evaluation, turn_id=state.get("turn_id")))
    others = [
        e for e in state.get("evaluations", []) if e.get("question_index") != evaluation["question_index"]
    ]
    return {**update, "evaluations": [*others, evaluation]}


def next_missing(state: InterviewState) -> str | None:
    """The missing part a follow-up should ask about, or None."""
    evaluations = state.get("evaluations", [])
    index = state.get("question_index")
    current = next((e for e in evaluations if e.get("question_index") == index), None)
    if current is None:
        return None
    missing = set(current.get("missing") or [])
    for item in prompts.FOLLOW_UP_ORDER:
        if item in missing:
            return item
    return None


async def follow_up(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    question = state.get("current_question") or {}
    item = next_missing(state) or "example"
    asked_count = state.get("follow_ups_asked", 0)
    if item == "depth" or item not in prompts.FOLLOW_UPS:
        specific = question.get("follow_ups") or ["Can you go one level deeper on that?"]
        text = specific[asked_count % len(specific)]
    else:
        text = prompts.FOLLOW_UPS[item]
    update = await ask(
        runtime,
        node="follow_up",
        question=text,
        lead=prompts.LEAD_FOLLOW_UP,
        persona=prompts.PERSONA,
        context=prompts.ASK_CONTEXT_NEXT,
        echo_of=last_user_text(state),
    )
    return {**update, "follow_ups_asked": asked_count + 1, "phase": "awaiting_follow_up"}


async def wrap_up(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    report = build_report(state, context_of(runtime).options)
    return await finish(
        runtime,
        report,
        summary=spoken_summary(report),
        text=prompts.CLOSING,
        persona=prompts.PERSONA,
        context=prompts.CLOSING_CONTEXT,
        goal=prompts.CLOSING_GOAL,
    )


async def welcome_back(state: InterviewState, runtime: Runtime[Context]) -> dict[str, Any]:
    index, count = state.get("question_index", 0), state.get("question_count", 0)
    if state.get("phase") == "ready_check":  # before question 1: the readiness question again
        text = f"{common.WELCOME_BACK.format(where=prompts.WELCOME_BACK_READY)} {prompts.READY_QUESTION}"
        return await say(runtime, node="welcome_back", text=text)
    where = prompts.WELCOME_BACK_WHERE.format(index=max(index, 1), count=count)
    text = common.WELCOME_BACK.format(where=where)
    if state.get("phase") in ("awaiting_answer", "awaiting_follow_up") and state.get("asked_text"):
        text = f"{text} {state['asked_text']}"
    return await say(runtime, node="welcome_back", text=text)


def repair_unheard(state: InterviewState, heard: str) -> dict[str, Any]:
    """After a barge-in: undo the question counter when the user did not hear the question."""
    from graph.routing import was_heard

    phase = state.get("phase")
    unheard = phase == "asking" or (
        phase in ("awaiting_answer", "awaiting_follow_up")
        and not was_heard(state.get("asked_text", ""), heard)
    )
    if not unheard:
        return {}
    if phase == "awaiting_follow_up":
        return {"follow_ups_asked": max(0, state.get("follow_ups_asked", 1) - 1), "phase": "evaluated"}
    asked = list(state.get("asked_ids", []))
    return {
        "question_index": max(0, state.get("question_index", 1) - 1),
        "asked_ids": asked[:-1],
        "current_question": None,
        "phase": "next_question",
    }
