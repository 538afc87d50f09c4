"""Routing helpers shared by the workflows (each builder has its own `route_*` functions)."""

from __future__ import annotations

import re
from typing import Literal

from graph.nodes import turn_kind
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
    kind = turn_kind(state)
    if kind == "repeat":
        return state.get("reasks", 0) < 2 * MAX_REASKS
    return kind != "ok" and state.get("reasks", 0) < MAX_REASKS


Lifecycle = Literal["closed", "wrap_up", "welcome_back", "greet"]


def route_lifecycle(state: ConversationState) -> Lifecycle | None:
    """The entry routes every workflow shares: a finished conversation, a finish request, a resume,
    a new thread. None: an ordinary turn, routed by the workflow itself."""
    event, phase = state.get("event", "turn"), state.get("phase", "new")
    if phase == "done":
        return "closed"
    if event == "finish":
        return "wrap_up"
    if event == "resume":
        return "welcome_back" if phase != "new" else "greet"
    if phase == "new":
        return "greet"
    return None
