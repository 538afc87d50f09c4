"""Scoring answer pairs through `voice-agent score`, shared by the tuned and the held-out dev sets."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from typer.testing import CliRunner

from voice_agent.cli import app

runner = CliRunner()


@cache
def score(option: str, question: str, answer: str) -> dict[str, Any]:
    """`voice-agent score` on one answer; `option` is --question-id or --question."""
    result = runner.invoke(app, ["score", "--workflow", "interview", option, question, "--answer", answer])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rank_pairs(pairs: Iterable[tuple[str, str, str, str]]) -> tuple[dict[str, list[bool]], list[Any]]:
    """Per kind, whether the better answer scored higher; and the misses. Every answer must have
    been scored by the semantic evaluator (so a dead embedding model fails the caller)."""
    right: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for kind, question_id, better, worse in pairs:
        good, bad = score("--question-id", question_id, better), score("--question-id", question_id, worse)
        assert good["evaluator"] == "semantic" and bad["evaluator"] == "semantic"
        right[kind].append(good["score"] > bad["score"])
        if not right[kind][-1]:
            misses.append((kind, question_id, good["score"], bad["score"]))
    return right, misses
