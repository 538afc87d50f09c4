"""The state of a spec workflow (every spec shares it)."""

from __future__ import annotations

from typing import Any

from graph.state import ConversationState, SpecPhase


class SpecState(ConversationState[SpecPhase], total=False):
    field: str | None
    """The slot being asked for (None once every slot that applies is done)."""
    record: dict[str, Any]
    """Slot id -> value, for the slots answered so far."""
    attempts: int
    """Answers to the current slot that did not fit, so far."""
    skipped: list[str]
    """Slots given up on (too many answers that did not fit) or declined (optional)."""
    pending: Any
    """A value read back and waiting for the user's yes (`confirm:`)."""
