"""One session as a standalone HTML document: progress charts (inline SVG), the final report,
one card per graded answer and the transcript with heard/unheard marks. No scripts, no external
files: it opens anywhere and prints to PDF from the browser (`render_html(export, trends)`)."""

from __future__ import annotations

from html import escape
from typing import Any

from storage.charts import chart_figures

SKIP_KEYS = {"type", "workflow", "turn_id", "thread_id", "question_id", "question", "question_index"}
SKIP_KEYS |= {"question_count", "turn_index", "turns", "score", "metrics", "kind", "progress", "words"}
STYLE = """
body{font:15px/1.5 system-ui,sans-serif;color:#111827;max-width:56rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}h3{font-size:1rem;margin:0}
.muted{color:#6b7280}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #e5e7eb;border-radius:8px;padding:.5rem}figcaption{font-weight:600}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0;break-inside:avoid}
.card header{display:flex;justify-content:space-between;gap:1rem}.score{font-weight:700;font-size:1.2rem}
.tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.tile{background:#f3f4f6;border-radius:6px;padding:.25rem .6rem}
.tile b{display:block}dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dt{color:#6b7280}dd{margin:0}ol.transcript{padding-left:1.25rem}ol.transcript li{margin:.35rem 0}
s.unheard{color:#9ca3af}mark.unclear{background:#fef3c7}.heard{color:#6b7280;font-size:.85em}
@media print{body{margin:0;max-width:none}figure,.card{break-inside:avoid}}
"""


def _label(key: str) -> str:
    text = key.replace("_", " ").strip()
    return (text[:1].upper() + text[1:]) if text else key


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return '<span class="muted">none</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return escape(f"{value:g}")
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{escape(_label(str(k)))}: {_value(v)}" for k, v in value.items())
    return escape(str(value))


def _tiles(metrics: dict[str, Any]) -> str:
    shown = dict(metrics)
    if isinstance(shown.get("unclear_words"), list):  # words, not their times
        shown["unclear_words"] = [u.get("word") for u in shown["unclear_words"] if isinstance(u, dict)]
    cells = "".join(
        f'<span class="tile"><b>{_value(v)}</b>{escape(_label(k))}</span>' for k, v in shown.items()
    )
    return f'<div class="tiles">{cells}</div>' if cells else ""


def _card(number: int, payload: dict[str, Any]) -> str:
    if isinstance(payload.get("question_index"), int):
        title = f"Question {payload['question_index']}"
    elif isinstance(payload.get("turn_index"), int):
        title = f"Turn {payload['turn_index']}"
    else:
        title = f"Answer {number}"
    if payload.get("exercise") == "read_aloud":
        title = f"Read aloud — {title.lower()}"
    score = payload.get("score")
    head = f"<header><h3>{escape(title)}</h3>"
    head += f'<span class="score">{_value(score)}</span></header>' if score is not None else "</header>"
    body = f'<p class="muted">{escape(str(payload["question"]))}</p>' if payload.get("question") else ""
    rows = "".join(
        f"<dt>{escape(_label(k))}</dt><dd>{_value(v)}</dd>" for k, v in payload.items() if k not in SKIP_KEYS
    )
    metrics = payload.get("metrics")
    tiles = _tiles(metrics) if isinstance(metrics, dict) else ""
    return f'<article class="card evaluation">{head}{body}<dl>{rows}</dl>{tiles}</article>'


def _marked(text: str, fluency: dict[str, Any] | None) -> str:
    unclear = {u.get("word") for u in (fluency or {}).get("unclear_words") or [] if isinstance(u, dict)}
    if not unclear:
        return escape(text)
    out = []
    for token in text.split():
        bare = "".join(c for c in token.lower() if c.isalnum() or c == "'")
        out.append(
            f'<mark class="unclear" title="may be unclear">{escape(token)}</mark>'
            if bare in unclear
            else escape(token)
        )
    return " ".join(out)


def _turn(turn: dict[str, Any]) -> str:
    who = "You" if turn["role"] == "user" else "Agent"
    text = turn.get("text") or ""
    if turn["role"] == "agent" and turn.get("interrupted"):
        heard = turn.get("heard_text") or ""
        unheard = text[len(heard) :] if text.startswith(heard) else text
        mark = '<span class="heard">(interrupted)</span>'
        said = f'{escape(heard)}<s class="unheard">{escape(unheard)}</s> {mark}'
    else:
        said = _marked(text, turn.get("fluency"))
    return f'<li class="{escape(turn["role"])}"><strong>{who}:</strong> {said}</li>'


def render_html(export: dict[str, Any], trends: dict[str, Any] | None) -> str:
    """The standalone report of `storage.export_session(...)` with `storage.trends.learner_trends(...)`."""
    session = export["session"]
    workflow = _label(str(session["workflow"]))
    parts = [
        "<!doctype html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(workflow)} report</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(workflow)} report</h1>",
        f'<p class="muted">{escape(str(session["created_at"])[:16].replace("T", " "))} · learner '
        f"{escape(str(session['learner']))} · {escape(str(session['status']))} · "
        f"<code>{escape(session['thread_id'])}</code></p>",
    ]
    if trends and trends["charts"]:
        parts.append(f'<h2>Progress over {len(trends["sessions"])} sessions</h2><div class="charts">')
        for fig in chart_figures(trends):
            note = f' <span class="muted">({escape(fig["note"])})</span>' if fig["note"] else ""
            caption = f"<figcaption>{escape(fig['title'])}{note}</figcaption>"
            parts.append(f'<figure data-chart="{escape(fig["id"])}">{caption}{fig["svg"]}</figure>')
        parts.append("</div>")
    report = export.get("report")
    parts.append("<h2>Final report</h2>")
    if report:
        lead = report.get("spoken_summary") or report.get("summary")
        if isinstance(lead, str):
            parts.append(f"<p>{escape(lead)}</p>")
        skip = {"spoken_summary", "summary", "progress", "per_question", "workflow"}
        rows = "".join(
            f"<dt>{escape(_label(k))}</dt><dd>{_value(v)}</dd>" for k, v in report.items() if k not in skip
        )
        parts.append(f"<dl>{rows}</dl>")
    else:
        parts.append('<p class="muted">none — the session has not been finished.</p>')
    evaluations = export.get("evaluations") or []
    parts.append(f"<h2>Answers ({len(evaluations)})</h2>")
    parts += [_card(i, e["payload"]) for i, e in enumerate(evaluations, start=1)]
    if not evaluations:
        parts.append('<p class="muted">none</p>')
    parts.append('<h2>Transcript</h2><ol class="transcript">')
    parts += [_turn(t) for t in export.get("turns") or []]
    parts.append("</ol></body></html>")
    return "\n".join(parts)
