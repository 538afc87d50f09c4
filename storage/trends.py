"""A learner's progress across sessions, as chart series: one point per session.

- interview: the average score per criterion (and overall) in each session;
- english: errors per 100 words, words per minute, fillers per 100 words and the level reached.

`learner_trends(db=, thread_id=)` covers the sessions of the same learner and workflow up to and
including `thread_id` (oldest first), so a report shows the way that led to it.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.models import Evaluation, Report, Session
from storage.rows import iso

MAX_SESSIONS = 12
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _interview_point(payloads: list[dict[str, Any]]) -> dict[str, float]:
    per: dict[str, list[float]] = defaultdict(list)
    for p in payloads:
        if (score := _number(p.get("score"))) is not None:
            per["overall"].append(score)
        criteria = p.get("criteria")
        if isinstance(criteria, dict):
            for name, value in criteria.items():
                if (v := _number(value if not isinstance(value, dict) else value.get("score"))) is not None:
                    per[str(name)].append(v)
    return {name: round(fmean(values), 2) for name, values in per.items()}


def _english_point(payloads: list[dict[str, Any]], report: dict[str, Any] | None) -> dict[str, float]:
    turns = [p for p in payloads if p.get("exercise") != "read_aloud"]
    words = sum(int(_number(p.get("word_count")) or 0) for p in turns)
    errors = sum(len(p.get("errors") or []) for p in turns)
    metrics: list[dict[str, Any]] = [m for p in turns if isinstance(m := p.get("metrics"), dict)]
    spoken = sum(int(_number(m.get("word_count")) or 0) for m in metrics)
    fillers = sum(int(_number(m.get("filler_count")) or 0) for m in metrics)
    wpms = [v for m in metrics if (v := _number(m.get("wpm"))) is not None]
    point: dict[str, float] = {}
    if words:
        point["errors_per_100_words"] = round(100 * errors / words, 1)
    if spoken:
        point["fillers_per_100_words"] = round(100 * fillers / spoken, 1)
    if wpms:
        point["wpm"] = round(fmean(wpms), 1)
    level = (report or {}).get("end_level") or next(
        (p["level"] for p in reversed(payloads) if isinstance(p.get("level"), str)), None
    )
    if level in LEVELS:
        point["level"] = float(LEVELS.index(level))
    return point


ENGLISH_CHARTS = (
    ("errors_per_100_words", "Errors per 100 words", "lower is better"),
    ("wpm", "Words per minute", "speaking rate"),
    ("fillers_per_100_words", "Fillers per 100 words", "lower is better"),
    ("level", "Level", "CEFR"),
)


def learner_trends(*, db: Database, thread_id: str, limit: int = MAX_SESSIONS) -> dict[str, Any] | None:
    """`{learner, workflow, sessions: [{thread_id, created_at}], charts: [{id, title, note,
    labels?, series: [{name, points: [{session, value}]}]}]}`; None for an unknown thread.

    `session` in a point is the index into `sessions`; sessions with no value are left out.
    """
    with db.session() as s:
        this = s.get(Session, thread_id)
        if this is None:
            return None
        rows = list(
            s.scalars(
                select(Session)
                .where(
                    Session.learner == this.learner,
                    Session.workflow == this.workflow,
                    Session.created_at <= this.created_at,
                )
                .order_by(Session.created_at.desc(), Session.thread_id)
                .limit(limit)
            )
        )[::-1]
        ids = [r.thread_id for r in rows]
        payloads: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for tid, payload in s.execute(
            select(Evaluation.thread_id, Evaluation.payload)
            .where(Evaluation.thread_id.in_(ids))
            .order_by(Evaluation.created_at, Evaluation.id)
        ):
            if isinstance(payload, dict):
                payloads[tid].append(payload)
        reports: dict[str, dict[str, Any]] = dict(
            s.execute(select(Report.thread_id, Report.report).where(Report.thread_id.in_(ids))).all()
        )
        sessions = [{"thread_id": r.thread_id, "created_at": iso(r.created_at)} for r in rows]
        workflow, learner = this.workflow, this.learner
    if workflow == "english":
        points = [_english_point(payloads[t], reports.get(t)) for t in ids]
        charts = [
            {
                "id": key,
                "title": title,
                "note": note,
                **({"labels": list(LEVELS)} if key == "level" else {}),
                "series": [{"name": title, "points": _series(points, key)}],
            }
            for key, title, note in ENGLISH_CHARTS
        ]
    else:
        points = [_interview_point(payloads[t]) for t in ids]
        names = sorted({k for p in points for k in p if k != "overall"})
        charts = [
            {
                "id": "criteria",
                "title": "Score per criterion",
                "note": "average per session, 0-10",
                "series": [{"name": n, "points": _series(points, n)} for n in ["overall", *names]],
            }
        ]
    return {"learner": learner, "workflow": workflow, "sessions": sessions, "charts": charts}


def _series(points: list[dict[str, float]], key: str) -> list[dict[str, Any]]:
    return [{"session": i, "value": p[key]} for i, p in enumerate(points) if key in p]


def progress_markdown(trends: dict[str, Any]) -> str:
    """The charts' data as Markdown tables: one row per session, one column per series."""
    lines = ["", f"## Progress over {len(trends['sessions'])} sessions", ""]
    for chart in trends["charts"]:
        labels = chart.get("labels")
        names = [s["name"] for s in chart["series"]]
        lines += [f"### {chart['title']}", "", "| Session | " + " | ".join(names) + " |"]
        lines.append("|---" * (len(names) + 1) + "|")
        for i, session in enumerate(trends["sessions"]):
            cells = []
            for s in chart["series"]:
                value = next((p["value"] for p in s["points"] if p["session"] == i), None)
                cells.append("none" if value is None else labels[int(value)] if labels else f"{value:g}")
            lines.append(f"| {i + 1} ({str(session['created_at'])[:10]}) | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
