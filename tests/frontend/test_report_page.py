"""The session report page in real Chromium: a stored English session with three sessions behind
it shows the learner's progress charts with their data points, per-answer cards with "none" for
empty metrics, and the transcript with unclear and unheard marks; the HTML export has the same
charts. The screenshot of the report is README's (docs/img/report.png)."""

from __future__ import annotations

import os
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import storage
from tests.storage.seed import ENGLISH_TURNS, seed_english, seed_interview

Server = Any  # tests/frontend/conftest.py: Server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "img" / "report.png"
"""README's screenshot: rewritten when VOICE_AGENT_UPDATE_SCREENSHOTS=1, else the test's goes to artifacts."""
POINTS = "[...document.querySelectorAll('figure[data-chart=\"%s\"] circle.point')].map(c => c.dataset.value)"


def seeded_data_dir(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    data = tmp_path / "data"
    data.mkdir()
    db = storage.Database.connect(f"sqlite:///{(data / 'voice_agent.db').resolve()}")
    db.upgrade()
    english, interview = seed_english(db), seed_interview(db)
    db.dispose()
    return data, english, interview


def chart_values(html: str, chart: str) -> list[str]:
    figure = re.search(rf'<figure data-chart="{chart}">(.*?)</figure>', html, re.S)
    assert figure, f"no {chart} chart"
    return re.findall(r'class="point"[^>]*data-value="([^"]+)"', figure.group(1))


def test_report_page_shows_progress_charts_cards_and_marked_transcript(
    tmp_path: Path, server_factory: Any, browser_factory: Any, artifacts: Path
) -> None:
    data, english, interview = seeded_data_dir(tmp_path)
    server = server_factory(data_dir=data)
    page = browser_factory(None).new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{server.url}report.html?thread={english[-1]}")
    page.wait_for_selector("#report[data-loaded=true]", timeout=30_000)
    assert page.inner_text("#report-heading") == "English report"
    charts = page.eval_on_selector_all("figure[data-chart]", "fs => fs.map(f => f.dataset.chart)")
    assert charts == ["errors_per_100_words", "wpm", "fillers_per_100_words", "level"]
    sessions = len(ENGLISH_TURNS)
    assert sessions >= 4  # the report's session and three behind it
    wpm = page.evaluate(POINTS % "wpm")
    assert [float(v) for v in wpm] == [95.0, 112.5, 127.5, 137.5]
    for chart in charts:
        assert len(page.evaluate(POINTS % chart)) == sessions, chart
    assert "B2" in page.locator("figure[data-chart=level] svg").text_content()  # levels labelled

    cards = page.locator("#answers .card.evaluation")
    assert cards.count() == 2
    fillers = page.locator("#answers .tile", has=page.locator(".tile-label", has_text="Fillers")).first
    assert fillers.locator(".tile-value").inner_text() == "none"  # never blank
    assert page.locator("#transcript mark.unclear").count() == 2
    assert page.locator("#transcript mark.unclear").first.inner_text() == "weekend"
    shot = SCREENSHOT if os.environ.get("VOICE_AGENT_UPDATE_SCREENSHOTS") == "1" else artifacts / "report.png"
    page.screenshot(path=str(shot), full_page=True)

    with urllib.request.urlopen(f"{server.url}api/sessions/{english[-1]}/export?format=html") as response:
        html = response.read().decode()
    for chart in charts:
        assert chart_values(html, chart) == page.evaluate(POINTS % chart), chart
    page.set_content(html)  # standalone: no script, no server needed
    assert page.locator("circle.point").count() == 4 * sessions

    page.goto(f"{server.url}report.html?thread={interview[-1]}")
    page.wait_for_selector("#report[data-loaded=true]", timeout=30_000)
    assert len(page.evaluate(POINTS % "criteria")) == 3 * 4  # overall + 3 criteria over 3 sessions
    assert page.locator("#transcript s.unheard").count() == 1
    assert not errors, errors


def test_sessions_panel_links_each_session_to_its_report_page(
    tmp_path: Path, server_factory: Any, browser_factory: Any
) -> None:
    data, english, _ = seeded_data_dir(tmp_path)
    server = server_factory(data_dir=data)
    page = browser_factory(None).new_page()
    page.goto(server.url)
    page.click("#sessions-panel summary")
    link = page.locator(f'#sessions-list li[data-thread="{english[0]}"] a', has_text="Page")
    link.wait_for(timeout=10_000)
    assert link.get_attribute("href") == f"/report.html?thread={english[0]}"
