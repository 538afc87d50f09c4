"""Analysing a learner turn: `tools.english.analyze_english` (grammar errors with corrections, new
vocabulary, a difficulty signal, the word count)."""

from __future__ import annotations

from typing import Any

from tools.english import analyze_english


def analyze(*, text: str, level: str) -> dict[str, Any]:
    return analyze_english(text=text, level=level)
