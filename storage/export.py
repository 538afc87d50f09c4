"""One session as a single document: JSON-able dict (`export_session`) and Markdown (`render_markdown`)."""

from __future__ import annotations

import json
from typing import Any

from storage.database import Database
from storage.evaluations import list_evaluations, list_tool_calls
from storage.reports import get_report
from storage.sessions import get_session
from storage.turns import list_turns

EXPORT_VERSION = 1


def export_session(*, db: Database, thread_id: str) -> dict[str, Any] | None:
    """`{version, session, turns, evaluations, tool_calls, report}`, or None for an unknown id."""
    session = get_session(db=db, thread_id=thread_id)
    if session is None:
        return None
    return {
        "version": EXPORT_VERSION,
        "session": session,
        "turns": list_turns(db=db, thread_id=thread_id),
        "evaluations": list_evaluations(db=db, thread_id=thread_id),
        "tool_calls": list_tool_calls(db=db, thread_id=thread_id),
        "report": get_report(db=db, thread_id=thread_id),
    }


def _turn_line(turn: dict[str, Any]) -> str:
    speaker = "You" if turn["role"] == "user" else "Agent"
    if turn["role"] == "agent" and turn["interrupted"]:
        heard = turn["heard_text"] or ""
        said = turn["text"]
        unheard = said[len(heard) :].strip() if said.startswith(heard) else said
        line = f"**{speaker}:** {heard} *[interrupted]*"
        if unheard:
            line += f" ~~{unheard}~~"
        return line
    return f"**{speaker}:** {turn['text']}"


def _metrics_line(metrics: dict[str, Any]) -> str:
    parts = [f"{k.removesuffix('_ms')} {v:.0f} ms" for k, v in metrics.items() if isinstance(v, int | float)]
    return f"  <sub>latency: {', '.join(parts)}</sub>" if parts else ""


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def render_markdown(export: dict[str, Any]) -> str:
    """A readable transcript: interrupted agent speech shows what was heard and what was not."""
    session = export["session"]
    lines = [
        f"# {session['workflow'].replace('_', ' ').title()} session `{session['thread_id']}`",
        "",
        f"- Started: {session['created_at']}",
        f"- Status: {session['status']}",
        f"- Learner: {session['learner']}",
    ]
    forked = session.get("forked_from")
    if forked:
        lines.append(
            f"- Forked from: session `{forked['thread_id']}` at checkpoint `{forked['checkpoint_id']}`"
        )
    if session["options"]:
        lines.append(f"- Options: `{json.dumps(session['options'], sort_keys=True)}`")
    lines += ["", "## Transcript", ""]
    shown_metrics: set[str] = set()
    for turn in export["turns"]:
        lines.append(_turn_line(turn))
        if turn["role"] == "agent" and turn["metrics"] and turn["turn_id"] not in shown_metrics:
            shown_metrics.add(turn["turn_id"])
            lines.append(_metrics_line(turn["metrics"]))
        lines.append("")
    if not export["turns"]:
        lines += ["*(nothing said)*", ""]
    if export["evaluations"]:
        lines += ["## Evaluations", ""]
        for number, evaluation in enumerate(export["evaluations"], start=1):
            payload = dict(evaluation["payload"])
            score = payload.pop("score", None)
            title = f"### {number}." + (f" Score {score}" if score is not None else "")
            lines += [title, ""]
            lines += [f"- {k.replace('_', ' ').capitalize()}: {_value(v)}" for k, v in payload.items()]
            lines.append("")
    if export["tool_calls"]:
        lines += ["## Tool calls", ""]
        for call in export["tool_calls"]:
            detail = f" — {call['error']}" if call["error"] else ""
            lines.append(f"- `{call['name']}` {call['status']}{detail}")
        lines.append("")
    if export["report"]:
        lines += ["## Report", ""]
        lines += [f"- {k.replace('_', ' ').capitalize()}: {_value(v)}" for k, v in export["report"].items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
