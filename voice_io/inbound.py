"""Client → server messages of the WebSocket protocol (docs/protocol.md), parsed strictly.

`parse_text(raw)` turns one text frame into a typed message (a frozen pydantic model) or raises a
`ClientError` with the protocol's code:

- `bad_json`: not JSON, or not one JSON object;
- `unknown_type`: a `type` the protocol does not define;
- `bad_field`: a missing field, a wrong type (`true` is no number), a value out of range, a
  non-finite number anywhere in the message (`NaN`, `Infinity`, `1e400`), or a string anywhere
  that is not valid Unicode (a lone surrogate such as `"\\ud800"`) or holds a NUL character.

Unknown fields are ignored (the contract lets clients and servers add fields). `check_audio(data)`
validates one binary frame.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from voice_io.errors import BadAudio, BadField, BadJSON, UnknownType

MAX_AUDIO_BYTES = 64 * 1024
MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 48_000
MAX_TEXT_CHARS = 4_000
MAX_ID_CHARS = 128
MAX_PLAYED_MS = 24 * 3600 * 1000
"""A day of audio: more is no playback report of one utterance."""

FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)


class SessionStart(_Message):
    type: Literal["session.start"] = "session.start"
    workflow: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    thread_id: str | None = Field(None, max_length=MAX_ID_CHARS)
    sample_rate: int = Field(16_000, ge=MIN_SAMPLE_RATE, le=MAX_SAMPLE_RATE)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("thread_id")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("thread_id must be null or a non-empty string")
        return value


class TextTurn(_Message):
    type: Literal["text"] = "text"
    text: str

    @field_validator("text")
    @classmethod
    def _stripped(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("field 'text' is empty")
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"field 'text' is longer than {MAX_TEXT_CHARS} characters")
        return value


class Playback(_Message):
    type: Literal["playback"] = "playback"
    utterance_id: str = Field(max_length=MAX_ID_CHARS)
    played_ms: int

    @field_validator("played_ms", mode="before")
    @classmethod
    def _whole_ms(cls, value: Any) -> Any:
        """A number of ms (int or finite float, floored); range-checked before any conversion."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("played_ms must be a number")
        if not 0 <= value <= MAX_PLAYED_MS:  # NaN fails this too
            raise ValueError(f"played_ms must be between 0 and {MAX_PLAYED_MS}")
        return int(value)


class SessionEnd(_Message):
    type: Literal["session.end"] = "session.end"


class Ping(_Message):
    type: Literal["ping"] = "ping"
    t: FiniteNumber


ClientMessage = SessionStart | TextTurn | Playback | SessionEnd | Ping
MODELS: dict[str, type[_Message]] = {
    "session.start": SessionStart,
    "text": TextTurn,
    "playback": Playback,
    "session.end": SessionEnd,
    "ping": Ping,
}


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFinite(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NonFinite(f"{text} is out of range for a number")
    return value


def _check_strings(obj: Any) -> None:
    """Every string (keys included) must encode as UTF-8 and hold no NUL; iterative, any depth."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise BadField("strings must not contain NUL characters")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BadField("strings must be valid Unicode (no lone surrogates)") from None


def load_object(raw: str) -> dict[str, Any]:
    """One JSON object, strictly: non-finite numbers and invalid strings are refused."""
    try:
        obj = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except _NonFinite as exc:
        raise BadField(f"non-finite number: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise BadJSON(f"text frame is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise BadJSON("a text frame must hold one JSON object")
    _check_strings(obj)
    return obj


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "message"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(message if where in message else f"field '{where}': {message}")
    return "; ".join(parts)


def parse_text(raw: str) -> ClientMessage:
    obj = load_object(raw)
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise BadField("missing string field 'type'")
    model = MODELS.get(kind)
    if model is None:
        raise UnknownType(f"unknown message type {kind!r}")
    # null means "not given": the field's default applies (or it is reported missing)
    given = {k: v for k, v in obj.items() if v is not None}
    try:
        message = model.model_validate(given)
    except ValidationError as exc:
        raise BadField(_describe(exc)) from None
    assert isinstance(message, SessionStart | TextTurn | Playback | SessionEnd | Ping)
    return message


def check_audio(data: bytes) -> None:
    """One frame of caller audio: PCM s16le, a positive even number of bytes, at most 64 KiB."""
    if len(data) == 0 or len(data) % 2:
        raise BadAudio(f"audio frame length must be a positive multiple of 2 bytes, got {len(data)}")
    if len(data) > MAX_AUDIO_BYTES:
        raise BadAudio(f"audio frame of {len(data)} bytes is over the 64 KiB limit")
