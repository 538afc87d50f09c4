"""What a node tells the conversation besides speech, through the run's stream writer.

`notify(runtime, notice)` with a `voice_io.events` EvaluationEvent / WarningEvent, or a
`ToolRecord` (a tool call with its arguments and result, which are recorded but never sent);
`graph.stream` turns them into `Notify` events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from graph.context import Context
from graph.recorder import ToolStatus
from voice_io.events import EvaluationEvent, WarningEvent


@dataclass(frozen=True, slots=True)
class ToolRecord:
    """A tool call as the graph sees it (arguments and result are recorded, never sent)."""

    name: str
    status: ToolStatus
    args: Any = None
    result: Any = None
    error: str | None = None


Notice = ToolRecord | EvaluationEvent | WarningEvent


def notify(runtime: Runtime[Context], notice: Notice) -> None:
    """Emit a notice from inside a node."""
    runtime.stream_writer(notice)
