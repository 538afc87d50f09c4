"""Progress charts as standalone inline SVG (no JavaScript, no dependency): the same markup goes
into the report page and into the HTML export, and prints as it is shown.

Every data point is a `<circle class="point">` with `data-series`, `data-session` and
`data-value`, and a `<title>` tooltip, so the charts can be read by people and tests alike.
"""

from __future__ import annotations

from html import escape
from typing import Any

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 56
COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _bounds(values: list[float], labels: list[str] | None) -> tuple[float, float]:
    if labels:
        return 0.0, float(len(labels) - 1)
    low, high = min([0.0, *values]), max([1.0, *values])
    if high <= 10 and low >= 0 and max(values, default=0) > 1:
        high = 10.0  # scores on 0-10
    return low, high * 1.08 if high > 10 else high


def line_chart(chart: dict[str, Any], sessions: list[dict[str, Any]]) -> str:
    """One chart of `storage.trends.learner_trends` as an `<svg>` string."""
    labels: list[str] | None = chart.get("labels")
    series = [s for s in chart["series"] if s["points"]]
    values = [float(p["value"]) for s in series for p in s["points"]]
    low, high = _bounds(values, labels)
    n = max(1, len(sessions))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / ((high - low) or 1))

    title = escape(chart["title"])
    parts = [
        f'<svg class="chart" data-chart="{escape(chart["id"])}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{title}</title>",
    ]
    ticks = range(len(labels)) if labels else [low + (high - low) * k / 4 for k in range(5)]
    for t in ticks:
        text = escape(labels[int(t)]) if labels else _fmt(round(float(t), 1))
        ty = y(float(t))
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#e5e7eb"/><text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#6b7280">{text}</text>'
        )
    for i in range(len(sessions)):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="#6b7280">#{i + 1}</text>'
        )
    if not series:
        parts.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{TOP + plot_h / 2}" text-anchor="middle" '
            f'font-size="13" fill="#6b7280">none yet</text>'
        )
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        name = escape(str(s["name"]).replace("_", " "))
        coords = [(x(int(p["session"])), y(float(p["value"])), p) for p in s["points"]]
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _ in coords)
        parts.append(
            f'<polyline class="line" data-series="{name}" points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        for cx, cy, p in coords:
            shown = escape(labels[int(p["value"])]) if labels else _fmt(float(p["value"]))
            when = escape(str(sessions[int(p["session"])].get("created_at") or "")[:10])
            parts.append(
                f'<circle class="point" data-series="{name}" data-session="{p["session"]}" '
                f'data-value="{p["value"]}" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
                f"<title>{name}: {shown} (session {int(p['session']) + 1}, {when})</title></circle>"
            )
        lx = LEFT + (k % 4) * (plot_w / 4)
        ly = HEIGHT - 10 - 14 * (k // 4)
        parts.append(
            f'<g class="legend"><rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14:.1f}" y="{ly}" font-size="11" fill="#374151">{name}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_figures(trends: dict[str, Any]) -> list[dict[str, Any]]:
    """`[{id, title, note, svg, points}]` for every chart of a learner's trends."""
    return [
        {
            "id": c["id"],
            "title": c["title"],
            "note": c.get("note", ""),
            "points": sum(len(s["points"]) for s in c["series"]),
            "svg": line_chart(c, trends["sessions"]),
        }
        for c in trends["charts"]
    ]
