"""A learner's progress across sessions: chart series, SVG charts, Markdown and HTML exports."""

from __future__ import annotations

import re

import pytest

import storage
from storage.charts import chart_figures
from storage.html_export import render_html
from storage.trends import learner_trends, progress_markdown
from tests.storage.seed import seed_english, seed_interview


def series(trends: dict, chart: str, name: str | None = None) -> list[float]:
    found = next(c for c in trends["charts"] if c["id"] == chart)
    s = next(s for s in found["series"] if name is None or s["name"] == name)
    return [p["value"] for p in s["points"]]


def test_interview_scores_per_criterion_across_sessions(db: storage.Database) -> None:
    ids = seed_interview(db)
    seed_interview(db, learner="someone else")
    trends = learner_trends(db=db, thread_id=ids[-1])
    assert trends is not None and trends["learner"] == "ada"
    assert [s["thread_id"] for s in trends["sessions"]] == ids
    assert series(trends, "criteria", "overall") == [4.5, 6.0, 7.5]
    assert series(trends, "criteria", "structure") == [3.5, 5.5, 7.5]
    # a report shows the way that led to it: not the sessions after it
    assert len(learner_trends(db=db, thread_id=ids[1])["sessions"]) == 2


def test_english_errors_rate_fillers_and_level_across_sessions(db: storage.Database) -> None:
    ids = seed_english(db)
    trends = learner_trends(db=db, thread_id=ids[-1])
    assert series(trends, "errors_per_100_words") == [12.5, 6.0, 1.7, 1.7]
    assert series(trends, "wpm") == [95.0, 112.5, 127.5, 137.5]
    assert series(trends, "fillers_per_100_words") == [10.0, 4.0, 1.7, 0.0]
    assert series(trends, "level") == [1.0, 2.0, 2.0, 3.0]  # A2, B1, B1, B2


def test_unknown_thread_has_no_trends(db: storage.Database) -> None:
    assert learner_trends(db=db, thread_id="nope") is None


def test_charts_are_svg_with_one_point_per_session_value(db: storage.Database) -> None:
    trends = learner_trends(db=db, thread_id=seed_english(db)[-1])
    figures = {f["id"]: f for f in chart_figures(trends)}
    wpm = figures["wpm"]["svg"]
    assert wpm.startswith("<svg") and wpm.endswith("</svg>")
    assert re.findall(r'data-value="([\d.]+)"', wpm) == ["95.0", "112.5", "127.5", "137.5"]
    assert "Level: B2 (session 4" in figures["level"]["svg"]  # levels are labelled, not numbers


def test_markdown_and_html_exports_carry_the_same_progress(db: storage.Database) -> None:
    ids = seed_interview(db)
    trends = learner_trends(db=db, thread_id=ids[-1])
    markdown = progress_markdown(trends)
    assert "## Progress over 3 sessions" in markdown and "| 3 (" in markdown
    export = storage.export_session(db=db, thread_id=ids[-1])
    html = render_html(export, trends)
    assert html.startswith("<!doctype html>") and "<script" not in html
    assert html.count('class="point"') == 3 * 4  # overall + three criteria, three sessions each
    assert html.count('class="card evaluation"') == 2
    assert '<s class="unheard"> that is all for today.</s>' in html


@pytest.mark.parametrize("value", [None, "", [], {}])
def test_empty_values_render_as_none_in_the_html_export(db: storage.Database, value: object) -> None:
    ids = seed_interview(db)
    export = storage.export_session(db=db, thread_id=ids[0])
    export["evaluations"][0]["payload"]["metrics"] = {"fillers": value}
    html = render_html(export, None)
    assert '<b><span class="muted">none</span></b>Fillers' in html
