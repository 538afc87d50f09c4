"""Client → server messages of the WebSocket protocol (docs/protocol.md), parsed and validated.

`parse_text(raw)` turns one text frame into a typed message or raises a `ClientError` with the
protocol's error code; `check_audio(data)` validates one binary frame.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from voice_io.errors import BadAudio, BadField, BadJSON, UnknownType

MAX_AUDIO_BYTES = 64 * 1024
MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 48_000
MAX_TEXT_CHARS = 4_000


@dataclass(frozen=True, slots=True)
class SessionStart:
    workflow: str
    thread_id: str | None = None
    sample_rate: int = 16_000
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TextTurn:
    text: str


@dataclass(frozen=True, slots=True)
class Playback:
    utterance_id: str
    played_ms: int


@dataclass(frozen=True, slots=True)
class SessionEnd:
    pass


@dataclass(frozen=True, slots=True)
class Ping:
    t: float


ClientMessage = SessionStart | TextTurn | Playback | SessionEnd | Ping


def _field(obj: dict[str, Any], name: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
    if name not in obj or obj[name] is None:
        if required:
            raise BadField(f"missing field '{name}'")
        return None
    value = obj[name]
    # bool is an int subclass: never accept it where a number is expected
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise BadField(f"field '{name}' has the wrong type")
    if not isinstance(value, kind):
        raise BadField(f"field '{name}' has the wrong type")
    return value


def parse_text(raw: str) -> ClientMessage:
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadJSON(f"text frame is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise BadJSON("a text frame must hold one JSON object")
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise BadField("missing string field 'type'")

    if kind == "session.start":
        workflow = _field(obj, "workflow", str)
        thread_id = _field(obj, "thread_id", str, required=False)
        rate = _field(obj, "sample_rate", int, required=False)
        rate = 16_000 if rate is None else rate
        if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
            raise BadField(
                f"sample_rate must be between {MIN_SAMPLE_RATE} and {MAX_SAMPLE_RATE} Hz, got {rate}"
            )
        options = _field(obj, "options", dict, required=False) or {}
        if thread_id is not None and not thread_id.strip():
            raise BadField("thread_id must be null or a non-empty string")
        return SessionStart(workflow=workflow, thread_id=thread_id, sample_rate=rate, options=options)
    if kind == "text":
        text = _field(obj, "text", str)
        if not text.strip():
            raise BadField("field 'text' is empty")
        if len(text) > MAX_TEXT_CHARS:
            raise BadField(f"field 'text' is longer than {MAX_TEXT_CHARS} characters")
        return TextTurn(text=text.strip())
    if kind == "playback":
        utterance_id = _field(obj, "utterance_id", str)
        played_ms = _field(obj, "played_ms", (int, float))
        if played_ms < 0:
            raise BadField("played_ms must be >= 0")
        return Playback(utterance_id=utterance_id, played_ms=int(played_ms))
    if kind == "session.end":
        return SessionEnd()
    if kind == "ping":
        t = _field(obj, "t", (int, float))
        return Ping(t=float(t))
    raise UnknownType(f"unknown message type '{kind}'")


def check_audio(data: bytes) -> None:
    """One frame of caller audio: PCM s16le, a positive even number of bytes, at most 64 KiB."""
    if len(data) == 0 or len(data) % 2:
        raise BadAudio(f"audio frame length must be a positive multiple of 2 bytes, got {len(data)}")
    if len(data) > MAX_AUDIO_BYTES:
        raise BadAudio(f"audio frame of {len(data)} bytes is over the 64 KiB limit")
