"""Progress over HTTP: the charts of a learner's sessions, and the report as Markdown and HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import storage
from tests.storage.seed import seed_interview
from tests.voice_agent.test_api import TOKEN, build_app, settings
from voice_agent.api import owner_of
from voice_agent.auth import create_token
from voice_agent.settings import Settings


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[str, list[str]]:
    url = f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"
    db = storage.Database.connect(url)
    db.upgrade()
    ids = seed_interview(db)
    db.dispose()
    return url, ids


@pytest.fixture
def client(seeded: tuple[str, list[str]]) -> Iterator[TestClient]:
    with TestClient(build_app(seeded[0], settings(None))) as client:
        yield client


def test_progress_has_series_and_svg_figures(client: TestClient, seeded: tuple[str, list[str]]) -> None:
    body = client.get(f"/api/sessions/{seeded[1][-1]}/progress").json()
    assert body["learner"] == "ada" and len(body["sessions"]) == 3
    (figure,) = body["figures"]
    assert figure["id"] == "criteria" and figure["points"] == 12
    assert figure["svg"].count('class="point"') == 12


def test_html_and_markdown_exports_include_the_progress(
    client: TestClient, seeded: tuple[str, list[str]]
) -> None:
    thread = seeded[1][-1]
    html = client.get(f"/api/sessions/{thread}/export?format=html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert f'filename="session-{thread}.html"' in html.headers["content-disposition"]
    assert html.text.count('class="point"') == 12
    markdown = client.get(f"/api/sessions/{thread}/export?format=md").text
    assert "## Progress over 3 sessions" in markdown and "| overall |" in markdown
    assert client.get(f"/api/sessions/{thread}/export?format=pdf").json()["error"]["code"] == "bad_field"


def test_unknown_or_foreign_sessions_have_no_progress(seeded: tuple[str, list[str]]) -> None:
    url, ids = seeded
    db = storage.Database.connect(url)
    storage.create_session(
        db=db, thread_id="theirs", workflow="interview", options={}, owner=owner_of("other")
    )
    db.dispose()
    secret = "signing-secret-for-tests-0123456789"
    user = create_token(user="ada", secret=secret)
    app_settings = Settings.model_validate({"token": TOKEN, "token_secret": secret})
    with TestClient(build_app(url, app_settings)) as client:
        auth = {"Authorization": f"Bearer {user}"}
        assert client.get("/api/sessions/nope/progress", headers=auth).status_code == 404
        assert client.get("/api/sessions/theirs/progress", headers=auth).status_code == 404
        assert client.get(f"/api/sessions/{ids[0]}/progress").status_code == 401
