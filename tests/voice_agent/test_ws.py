"""Which browser origins may open the voice socket."""

from __future__ import annotations

import pytest

from voice_agent.ws import origin_allowed


@pytest.mark.parametrize(
    "origin",
    [None, "http://localhost:8000", "http://127.0.0.1", "http://[::1]:9000", "http://localhost:8000/"],
)
def test_local_pages_and_clients_without_origin_are_allowed(origin: str | None) -> None:
    assert origin_allowed(origin, host="example.org", extra=[])


def test_the_servers_own_origin_is_allowed_on_either_scheme() -> None:
    assert origin_allowed("https://voice.example.org", host="voice.example.org", extra=[])
    assert origin_allowed("http://voice.example.org", host="voice.example.org", extra=[])


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost.evil.example",
        "https://localhost:8000",  # only plain http counts as local
        "http://127.0.0.1.evil.example",
        "null",
    ],
)
def test_foreign_origins_are_refused(origin: str) -> None:
    assert not origin_allowed(origin, host="voice.example.org", extra=[])
    assert not origin_allowed(origin, host=None, extra=[])


def test_configured_origins_are_allowed() -> None:
    assert origin_allowed("https://app.example.com", host=None, extra=["https://app.example.com"])
    assert not origin_allowed("https://app.example.com.evil", host=None, extra=["https://app.example.com"])
