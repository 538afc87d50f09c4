"""Routing helpers shared by the workflows (each builder has its own `route_*` functions)."""

from __future__ import annotations

import re

from graph.nodes import classify_turn, last_user_text
from graph.state import ConversationState

MAX_REASKS = 2

_NORM = re.compile(r"[^a-z0-9 ]+")


def _words(text: str) -> list[str]:
    return _NORM.sub(" ", text.lower()).split()


def was_heard(question: str, heard: str) -> bool:
    """Did the heard text include (nearly all of) the question?"""
    q, h = _words(question), set(_words(heard))
    if not q:
        return True
    return sum(1 for w in q if w in h) >= 0.8 * len(q)


def turn_unusable(state: ConversationState) -> bool:
    """The last user turn is empty or nonsense and we have not re-asked too often already."""
    kind = classify_turn(last_user_text(state))
    if kind == "repeat":
        return state.get("reasks", 0) < 2 * MAX_REASKS
    return kind != "ok" and state.get("reasks", 0) < MAX_REASKS
