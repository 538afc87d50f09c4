"""The read-aloud exercise in real Chromium: the partner gives a sentence, the learner reads it
with one word swapped, and the page shows the sentence word by word with the swapped word marked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.frontend.test_browser import open_page

Server = Any  # tests/frontend/conftest.py: Server

pytestmark = pytest.mark.browser


def test_a_misread_word_is_marked_in_the_reading_card(
    server: Server, silent_wav: Path, browser_factory: Any, artifacts: Path
) -> None:
    page = open_page(browser_factory(silent_wav), server)
    page.page.select_option("#workflow", "english")
    page.page.select_option("#opt-exercise", "read aloud")
    page.page.select_option("#opt-level", "A2")
    page.start("english")
    page.wait_js(
        "/read this sentence:/i.test(document.querySelector('#log .msg.agent')?.textContent || '')", 60
    )
    page.wait_agent_idle()
    agent = page.page.inner_text("#log .msg.agent .text")
    target = re.search(r"read this sentence: (.+)$", agent, re.I)
    assert target, agent
    words = target.group(1).rstrip(".").split()
    misread = [*words[:-1], "banana"]  # the last word swapped for another
    page.say(" ".join(misread))
    page.page.wait_for_selector("#log .card.reading", timeout=60_000)
    card = page.page.locator("#log .card.reading").first
    statuses = card.locator(".read-word").evaluate_all("ws => ws.map(w => [w.textContent, w.dataset.status])")
    assert [s for _, s in statuses] == ["ok"] * (len(words) - 1) + ["substituted"], statuses
    assert float(card.get_attribute("data-accuracy")) == pytest.approx(
        (len(words) - 1) / len(words), abs=1e-3
    )
    assert "banana" in card.locator(".read-word.substituted").get_attribute("title")
    page.wait_js("/once more/i.test([...document.querySelectorAll('#log .msg.agent')].pop().textContent)", 60)
    page.page.screenshot(path=str(artifacts / "read-aloud.png"), full_page=True)
    assert not [e for e in page.errors if "favicon" not in e], page.errors
