"""Twilio Media Streams messages (bidirectional `<Connect><Stream>`), parsed and serialised.

From Twilio (text frames, JSON, camelCase): `connected`, `start` (stream metadata,
`customParameters`, `mediaFormat` audio/x-mulaw 8000 Hz mono), `media` (base64 µ-law),
`mark` (one we sent, echoed back when the audio before it has played, or when `clear` dropped it),
`dtmf` (a key press on the inbound track), `stop`. To Twilio: `media`, `mark`, `clear`, each
with the stream's `streamSid`.

`parse_event(raw)` returns one typed event or raises `TwilioProtocolError` saying what is wrong;
`media_message` / `mark_message` / `clear_message` build the outgoing frames.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic.alias_generators import to_camel


class TwilioProtocolError(ValueError):
    """A frame that is not a valid Media Streams message (the call goes on)."""


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class Connected(_Model):
    event: Literal["connected"]
    protocol: str
    version: str


class MediaFormat(_Model):
    encoding: str
    sample_rate: int
    channels: int


class StartInfo(_Model):
    stream_sid: str = Field(min_length=1)
    account_sid: str
    call_sid: str
    tracks: list[str] = Field(default_factory=list)
    custom_parameters: dict[str, str] = Field(default_factory=dict)
    media_format: MediaFormat


class Start(_Model):
    event: Literal["start"]
    sequence_number: str
    stream_sid: str = Field(min_length=1)
    start: StartInfo


class MediaInfo(_Model):
    track: str = "inbound"
    chunk: str
    timestamp: str
    payload: bytes
    """The decoded µ-law bytes (base64 on the wire)."""

    @field_validator("payload", mode="before")
    @classmethod
    def _decode(cls, value: Any) -> bytes:
        if not isinstance(value, str) or not value:
            raise ValueError("payload must be a non-empty base64 string")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"payload is not valid base64: {exc}") from None


class Media(_Model):
    event: Literal["media"]
    sequence_number: str
    stream_sid: str
    media: MediaInfo


class MarkInfo(_Model):
    name: str


class Mark(_Model):
    event: Literal["mark"]
    sequence_number: str
    stream_sid: str
    mark: MarkInfo


class DtmfInfo(_Model):
    track: str = "inbound_track"
    digit: str = Field(pattern=r"^[0-9*#A-Da-d]$")


class Dtmf(_Model):
    event: Literal["dtmf"]
    sequence_number: str
    stream_sid: str
    dtmf: DtmfInfo


class StopInfo(_Model):
    account_sid: str
    call_sid: str


class Stop(_Model):
    event: Literal["stop"]
    sequence_number: str
    stream_sid: str
    stop: StopInfo


TwilioEvent = Connected | Start | Media | Mark | Dtmf | Stop
_EVENTS: TypeAdapter[TwilioEvent] = TypeAdapter(Annotated[TwilioEvent, Field(discriminator="event")])
MAX_FRAME_CHARS = 64 * 1024


def parse_event(raw: str | bytes) -> TwilioEvent:
    if isinstance(raw, bytes):
        raise TwilioProtocolError("Media Streams frames are JSON text, got a binary frame")
    if len(raw) > MAX_FRAME_CHARS:
        raise TwilioProtocolError(f"frame of {len(raw)} characters is over the {MAX_FRAME_CHARS} limit")
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise TwilioProtocolError(f"frame is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise TwilioProtocolError("a frame must hold one JSON object")
    try:
        return _EVENTS.validate_python(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TwilioProtocolError(f"bad {obj.get('event')!r} event: {where}: {first['msg']}") from None


def _dump(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def media_message(stream_sid: str, mulaw: bytes) -> str:
    payload = base64.b64encode(mulaw).decode("ascii")
    return _dump({"event": "media", "streamSid": stream_sid, "media": {"payload": payload}})


def mark_message(stream_sid: str, name: str) -> str:
    return _dump({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_message(stream_sid: str) -> str:
    return _dump({"event": "clear", "streamSid": stream_sid})
