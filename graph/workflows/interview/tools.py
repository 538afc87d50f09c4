"""The interview's tools (see `graph.toolbox`): one definition each, for a model that chooses
them (through the builder's `ToolNode`) and for the nodes that call them directly.

    score_answer      the candidate's answer to the current question, graded (the embedded evaluator,
                      then the LLM judge when one is configured); the answer is the transcript,
                      never a model's copy of it
    search_questions  bank questions for the role, by competency and difficulty, not yet asked
    learner_progress  this session's scores so far and the learner's earlier sessions

Storage is reached only through `Context.recorder` (`graph.recorder.Recorder`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from statistics import fmean
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime

from graph.context import context_of
from graph.nodes import last_user_text
from graph.recorder import Recorder
from graph.toolbox import earlier_sessions
from graph.workflows.interview import scoring
from graph.workflows.interview.bank import load_bank
from graph.workflows.interview.judge import judged
from voice_io.errors import ToolError

log = logging.getLogger(__name__)


def answer_so_far(state: Any) -> str:
    """The answer being scored: the parts given so far and the last user turn."""
    parts = [*(state.get("answer_parts") or []), last_user_text(state)]
    return " ".join(p for p in parts if p)


@tool(response_format="content_and_artifact", parse_docstring=True)
async def score_answer(question_id: str, runtime: ToolRuntime[Any, Any]) -> tuple[str, dict[str, Any]]:
    """Grade the candidate's answer to the question being asked now (the answer is taken from the
    transcript): a score from 1 to 10, per-criterion scores, what is missing, one strength and one
    improvement. Call it once the candidate has answered.

    Args:
        question_id: the id of the question being answered (given in the task).
    """
    state, context = runtime.state, context_of(runtime)
    question = state.get("current_question") or {}
    if question_id != question.get("id"):
        raise ToolError(f"question_id {question_id!r} is not the question being answered "
                        f"({question.get('id')!r})")
    answer = answer_so_far(state)
    result = await asyncio.to_thread(scoring.evaluate, question=question, answer=answer,
                                     fluency=state.get("fluency"))
    if context.judge_model is not None:
        result = await judged(context.judge_model, question=question, answer=answer, embedded=result,
                              timeout_s=context.llm_timeout_s)
    brief = {k: result.get(k) for k in ("score", "criteria", "missing", "strength", "improvement")}
    return json.dumps(brief, default=str), result


async def question_candidates(
    recorder: Recorder | None, role: str, exclude: list[str]
) -> list[dict[str, Any]]:
    """The questions for `role` not yet asked: stored ones (through the recorder), else the packaged bank."""
    if recorder is not None:
        try:
            rows = await recorder.search_questions(role=role, exclude_ids=exclude, limit=200)
            questions = [
                {**(row.get("data") or {}), **{k: v for k, v in row.items() if k != "data"}} for row in rows
            ]
            if questions:
                return questions
        except Exception:
            log.exception("search_questions failed; using the packaged question bank")
    return [q.model_dump() for q in load_bank().get(role, []) if q.id not in exclude]


def _about(question: dict[str, Any], topic: str) -> bool:
    words = [w for w in topic.lower().replace("-", " ").split() if len(w) > 2]
    text = f"{question.get('competency', '')} {question.get('text', '')}".lower()
    return any(w.rstrip("s") in text for w in words)


@tool(response_format="content_and_artifact", parse_docstring=True)
async def search_questions(
    runtime: ToolRuntime[Any, Any], competency: str | None = None, difficulty: int | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Find interview questions for this candidate's role that have not been asked yet. Use it when
    the candidate asks for another, a harder or an easier question, or one on a subject. The first
    question found is the one the interviewer asks next.

    Args:
        competency: optional subject, e.g. "databases", "caching", "conflict", "leadership".
        difficulty: optional level from 1 (easy) to 3 (hard); a harder question is 3.
    """
    if difficulty is not None and not 1 <= difficulty <= 3:
        raise ToolError(f"difficulty must be 1, 2 or 3, not {difficulty}")
    state, context = runtime.state, context_of(runtime)
    role = str(context.options.get("role", "behavioural"))
    found = await question_candidates(context.recorder, role, list(state.get("asked_ids") or []))
    if competency:
        found = [q for q in found if _about(q, competency)]
    if difficulty is not None:  # the level asked for first, then the nearest ones
        found.sort(key=lambda q: abs(int(q.get("difficulty") or 2) - difficulty))
    found = found[:3]
    brief = [{k: q.get(k) for k in ("id", "text", "competency", "difficulty")} for q in found]
    return json.dumps(brief or "no question matches; say so and keep the current one"), found


@tool(response_format="content_and_artifact", parse_docstring=True)
async def learner_progress(runtime: ToolRuntime[Any, Any]) -> tuple[str, dict[str, Any]]:
    """How the candidate is doing: this session's scores so far (per answer and per criterion) and
    their earlier sessions (average, trend, weakest criteria). Use it when they ask how they are doing."""
    state = runtime.state
    evaluations = [e for e in state.get("evaluations") or [] if isinstance(e.get("score"), int | float)]
    criteria: dict[str, list[float]] = {}
    for evaluation in evaluations:
        for name, value in (evaluation.get("criteria") or {}).items():
            criteria.setdefault(name, []).append(float(value))
    averages = {name: round(fmean(values), 1) for name, values in criteria.items()}
    session = {
        "answered": len(evaluations),
        "questions": state.get("question_count", 0),
        "scores": [e["score"] for e in evaluations],
        "average": round(fmean(e["score"] for e in evaluations), 1) if evaluations else None,
        "weakest": min(averages, key=averages.__getitem__) if averages else None,
        "strongest": max(averages, key=averages.__getitem__) if averages else None,
    }
    earlier = await earlier_sessions(context_of(runtime), "interview")
    progress = {"this_session": session, "earlier_sessions": earlier}
    return json.dumps(progress, default=str), progress


TOOLS: list[BaseTool] = [score_answer, search_questions, learner_progress]
"""What the interviewer's model may call (the builder's `ToolNode`)."""
