"""The agent's tools as LangChain tools, over the real SQL database (`tools.db_tools`).

Plumbing arguments (`db`, `thread_id`, `learner`, the turn's `fluency`, already asked ids) are
`InjectedToolArg`: they are not in the schema the model sees, and the graph fills them in when it
executes a tool call. Docstrings are the descriptions the model reads, so they say when to call.
All tools are async (`await tool.ainvoke({...})`).
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import BaseTool, InjectedToolArg, tool

from tools import db_tools


@tool(parse_docstring=True)
async def search_questions(
    role: str,
    competency: str | None = None,
    difficulty: int | None = None,
    db: Annotated[Any, InjectedToolArg] = None,
    exclude_ids: Annotated[list[str] | None, InjectedToolArg] = None,
) -> list[dict[str, Any]]:
    """Find interview questions to ask next.

    Args:
        role: the job the candidate is practising for, e.g. "software engineer" or "nurse".
        competency: optional skill to focus on, e.g. "conflict", "leadership", "databases".
        difficulty: optional level, 1 (easy) to 3 (hard).
    """
    return await db_tools.search_questions(db=db, role=role, competency=competency, difficulty=difficulty,
                                           exclude_ids=exclude_ids or ())


@tool(parse_docstring=True)
async def score_answer(
    question_id: str,
    answer: str,
    db: Annotated[Any, InjectedToolArg] = None,
    fluency: Annotated[dict[str, Any] | None, InjectedToolArg] = None,
) -> dict[str, Any]:
    """Score the candidate's answer to an interview question, 1 to 10, with what is missing
    (situation, task, action, result, example, metric, depth), one strength and one improvement.

    Args:
        question_id: the id of the question that was asked.
        answer: the candidate's answer, word for word.
    """
    return await db_tools.score_answer(db=db, question_id=question_id, answer=answer, fluency=fluency)


@tool(parse_docstring=True)
async def get_progress(
    workflow: str = "interview",
    db: Annotated[Any, InjectedToolArg] = None,
    learner: Annotated[str, InjectedToolArg] = "anonymous",
) -> dict[str, Any]:
    """Look up how this learner did in earlier sessions: recent scores, average, trend and the
    criteria they are repeatedly weak on. Use it to choose what to practise.

    Args:
        workflow: "interview" or "english".
    """
    return await db_tools.get_progress(db=db, learner=learner, workflow=workflow)


@tool(parse_docstring=True)
async def find_phrases(
    level: str,
    topic: str | None = None,
    db: Annotated[Any, InjectedToolArg] = None,
    exclude_ids: Annotated[list[str] | None, InjectedToolArg] = None,
) -> list[dict[str, Any]]:
    """Find useful English phrases (with meaning and example) to teach the learner.

    Args:
        level: the learner's CEFR level: A1, A2, B1, B2, C1 or C2.
        topic: optional topic, e.g. "work", "travel", "opinions".
    """
    return await db_tools.find_phrases(db=db, level=level, topic=topic, exclude_ids=exclude_ids or ())


@tool(parse_docstring=True)
async def save_report(
    report: dict[str, Any],
    db: Annotated[Any, InjectedToolArg] = None,
    thread_id: Annotated[str, InjectedToolArg] = "",
) -> dict[str, Any]:
    """Save the final feedback report of this session (summary, scores, strengths, what to practise).

    Args:
        report: the report as a JSON object.
    """
    return await db_tools.save_report(db=db, thread_id=thread_id, report=report)


TOOLS: list[BaseTool] = [search_questions, score_answer, get_progress, find_phrases, save_report]
