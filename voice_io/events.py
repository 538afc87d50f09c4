"""What the brain tells the client besides speech: typed events, serialised by `voice_io.wire`.

A `Conversation` yields them wrapped in `protocols.Notify`; the voice loop never looks inside,
`wire.event_message` alone turns them into protocol messages (docs/protocol.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class ToolEvent:
    """The agent is calling a tool (`tool`). Arguments and results are stored, never sent."""

    name: str
    status: Literal["start", "end", "error"]
    turn_id: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class EvaluationEvent:
    """A graded answer or a progress update (`evaluation`); `fields` are workflow-specific."""

    fields: Mapping[str, Any]
    turn_id: str | None = None


@dataclass(frozen=True, slots=True)
class StateEvent:
    """Where the conversation is after a graph step (`state`); `fields` are the workflow's counters."""

    node: str
    phase: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WarningEvent:
    """Something failed but the conversation goes on (a non-fatal `error`: `llm_failed`, `tool_failed`)."""

    code: Literal["llm_failed", "tool_failed", "stt_failed", "tts_failed", "internal"]
    message: str


BrainEvent = ToolEvent | EvaluationEvent | StateEvent | WarningEvent
