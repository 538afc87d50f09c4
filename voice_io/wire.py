"""The WebSocket protocol's messages (docs/protocol.md).

Client → server: parsed strictly by `voice_io.inbound` (pydantic models); re-exported here so that
callers keep one import: `wire.parse_text(raw)`, `wire.check_audio(data)`, `wire.SessionStart`, ...
Server → client: `wire.event_message(event)` is the protocol message of a brain event
(`voice_io.events`; nothing else serialises them); `wire.dumps(message)` is strict JSON
(`allow_nan=False`).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from typing import Any

from voice_io.events import BrainEvent, EvaluationEvent, StateEvent, ToolEvent
from voice_io.inbound import (
    MAX_AUDIO_BYTES,
    MAX_SAMPLE_RATE,
    MAX_TEXT_CHARS,
    MIN_SAMPLE_RATE,
    ClientMessage,
    Ping,
    Playback,
    SessionEnd,
    SessionStart,
    TextTurn,
    check_audio,
    parse_text,
)

__all__ = [
    "MAX_AUDIO_BYTES",
    "MAX_SAMPLE_RATE",
    "MAX_TEXT_CHARS",
    "MIN_SAMPLE_RATE",
    "ClientMessage",
    "Ping",
    "Playback",
    "SessionEnd",
    "SessionStart",
    "TextTurn",
    "check_audio",
    "dumps",
    "event_message",
    "parse_text",
]

log = logging.getLogger(__name__)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def dumps(message: Mapping[str, Any]) -> str:
    """Compact, strict JSON: what a browser's `JSON.parse` accepts. A non-finite number (a bug
    upstream) is sent as null and logged, never as the invalid `NaN` / `Infinity`."""
    try:
        return json.dumps(message, separators=(",", ":"), allow_nan=False)
    except ValueError:
        log.error("non-finite number in an outgoing %r message: sent as null", message.get("type"))
        return json.dumps(_finite(message), separators=(",", ":"), allow_nan=False)


def event_message(event: BrainEvent) -> dict[str, Any]:
    """The protocol message (docs/protocol.md) of one brain event."""
    if isinstance(event, ToolEvent):
        tool: dict[str, Any] = {"type": "tool", "name": event.name, "status": event.status}
        tool["turn_id"] = event.turn_id
        if event.error is not None:
            tool["error"] = event.error
        return tool
    if isinstance(event, EvaluationEvent):
        return {"type": "evaluation", **event.fields, "turn_id": event.turn_id}
    if isinstance(event, StateEvent):
        return {"type": "state", **event.fields, "node": event.node, "phase": event.phase}
    return {"type": "error", "code": event.code, "message": event.message, "fatal": False}
