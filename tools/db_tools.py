"""Plain async wrappers over the storage functions the agent's tools need.

Graph nodes call these directly; `tools.agent_tools` wraps them as LangChain tools for a model.
Each runs its (sync SQLAlchemy) storage call entirely in a worker thread and turns any failure into
`voice_io.errors.ToolError` with a message that names the tool and the cause.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import storage
from tools.rubric import score_answer as rubric_score
from voice_io.errors import ToolError

log = logging.getLogger(__name__)
T = TypeVar("T")


async def _run(name: str, call: Callable[..., T], /, **kwargs: Any) -> T:
    if "db" in kwargs and kwargs["db"] is None:
        raise ToolError(f"{name}: no database (the db argument was not injected into the tool call)")
    try:
        return await asyncio.to_thread(call, **kwargs)
    except ToolError:
        raise
    except storage.StorageError as error:
        retry = " (temporary, try again)" if error.recoverable else ""
        log.warning("tool %s failed: %s", name, error)
        raise ToolError(f"{name}: the database failed{retry}: {error}") from error
    except Exception as error:
        log.exception("tool %s failed", name)
        raise ToolError(f"{name}: {type(error).__name__}: {error}") from error


async def search_questions(
    *,
    db: storage.Database,
    role: str,
    competency: str | None = None,
    difficulty: int | str | None = None,
    exclude_ids: Iterable[str] = (),
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Interview questions for `role` (then generic ones), optionally of one competency/difficulty."""
    return await _run(
        "search_questions", storage.search_questions, db=db, role=role, competency=competency or None,
        difficulty=None if difficulty in (None, "") else str(difficulty), exclude_ids=tuple(exclude_ids),
        limit=limit,
    )


async def get_question(*, db: storage.Database, question_id: str) -> dict[str, Any]:
    question = await _run("get_question", storage.get_question, db=db, question_id=question_id)
    if question is None:
        raise ToolError(f"get_question: no question with id {question_id!r}")
    return question


async def score_answer(
    *, db: storage.Database, question_id: str, answer: str, fluency: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Load the question and score the answer with the rubric (`tools.rubric.score_answer`)."""
    question = await get_question(db=db, question_id=question_id)
    result = await _run("score_answer", rubric_score, question=question, answer=answer, fluency=fluency)
    return {"question_id": question_id, **result}


async def get_progress(
    *, db: storage.Database, learner: str, workflow: str, limit: int = 10
) -> dict[str, Any]:
    """Past scores and recurring weaknesses of `learner` in `workflow`, plus a `trend`."""
    progress = await _run("get_progress", storage.get_progress, db=db, learner=learner, workflow=workflow,
                          limit=limit)
    return {**progress, "trend": score_trend(progress.get("recent_scores") or [])}


def score_trend(scores: list[float]) -> str | None:
    """"improving" / "declining" / "steady" comparing the later half of the scores with the earlier one."""
    if len(scores) < 2:
        return None
    half = len(scores) // 2
    earlier, later = scores[:half], scores[half:]
    delta = sum(later) / len(later) - sum(earlier) / len(earlier)
    return "improving" if delta >= 0.5 else "declining" if delta <= -0.5 else "steady"


async def find_phrases(
    *,
    db: storage.Database,
    level: str,
    topic: str | None = None,
    exclude_ids: Iterable[str] = (),
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Useful phrases for a learner at `level` (CEFR), on `topic` when given."""
    phrases = await _run("find_phrases", storage.search_phrases, db=db, level=level, topic=topic or None,
                         exclude_ids=tuple(exclude_ids), limit=limit)
    if not phrases and topic:  # nothing on that topic: any phrase of the level is better than none
        phrases = await _run("find_phrases", storage.search_phrases, db=db, level=level, topic=None,
                             exclude_ids=tuple(exclude_ids), limit=limit)
    return phrases


async def save_report(*, db: storage.Database, thread_id: str, report: Mapping[str, Any]) -> dict[str, Any]:
    """Save (or replace) the final report of a session."""
    await _run("save_report", storage.save_report, db=db, thread_id=thread_id, report=dict(report))
    return {"saved": True, "thread_id": thread_id}
