"""The protocol edge: client messages parsed strictly (voice_io.inbound) and strict outgoing JSON."""

from __future__ import annotations

import json

import pytest

from voice_io import wire
from voice_io.errors import BadAudio, BadField, BadJSON, ClientError, UnknownType


def code_of(raw: str) -> str:
    with pytest.raises(ClientError) as failed:
        wire.parse_text(raw)
    return failed.value.code


def test_every_type_parses_to_its_model() -> None:
    start = wire.parse_text(
        '{"type":"session.start","workflow":"interview","thread_id":null,"options":{"role":"dev"},"x":1}'
    )
    assert start == wire.SessionStart(
        workflow="interview", thread_id=None, sample_rate=16_000, options={"role": "dev"}
    )
    assert wire.parse_text('{"type":"text","text":"  hello  "}') == wire.TextTurn(text="hello")
    assert wire.parse_text('{"type":"playback","utterance_id":"u1","played_ms":1250.9}') == wire.Playback(
        utterance_id="u1", played_ms=1250
    )
    assert wire.parse_text('{"type":"session.end"}') == wire.SessionEnd()
    assert wire.parse_text('{"type":"ping","t":5}') == wire.Ping(t=5.0)
    # null means "not given": defaults apply
    nulls = wire.parse_text('{"type":"session.start","workflow":"english","sample_rate":null,"options":null}')
    assert isinstance(nulls, wire.SessionStart) and nulls.sample_rate == 16_000 and nulls.options == {}


@pytest.mark.parametrize(
    "raw",
    [
        # the probe's findings: a lone surrogate in thread_id, non-finite ping times and play counts
        '{"type":"session.start","workflow":"interview","thread_id":"\\ud800abc"}',
        '{"type":"ping","t":NaN}',
        '{"type":"ping","t":Infinity}',
        '{"type":"ping","t":-Infinity}',
        '{"type":"playback","utterance_id":"u","played_ms":1e400}',
        '{"type":"playback","utterance_id":"u","played_ms":NaN}',
        '{"type":"playback","utterance_id":"u","played_ms":Infinity}',
        # anywhere in the message, not only in the fields read
        '{"type":"session.start","workflow":"interview","options":{"role":"\\udfff"}}',
        '{"type":"session.start","workflow":"interview","options":{"\\ud83d":"x"}}',
        '{"type":"text","text":"hi","extra":[1,{"deep":NaN}]}',
        '{"type":"text","text":"a\\u0000b"}',
        # wrong types and ranges
        '{"type":"ping","t":true}',
        '{"type":"ping","t":"5"}',
        '{"type":"ping"}',
        '{"type":"playback","utterance_id":"u","played_ms":-1}',
        '{"type":"playback","utterance_id":"u","played_ms":false}',
        '{"type":"playback","utterance_id":"u","played_ms":1e12}',
        '{"type":"session.start","workflow":"interview","sample_rate":true}',
        '{"type":"session.start","workflow":"interview","sample_rate":16000.5}',
        '{"type":"session.start","workflow":"interview","sample_rate":4000}',
        '{"type":"session.start","workflow":"interview","thread_id":"   "}',
        '{"type":"session.start","workflow":"interview","thread_id":7}',
        '{"type":"session.start","workflow":"interview","options":[]}',
        '{"type":"session.start"}',
        '{"type":"text","text":"   "}',
        '{"type":"text","text":12}',
        '{"type":7}',
        "{}",
    ],
)
def test_bad_fields_are_bad_field(raw: str) -> None:
    assert code_of(raw) == BadField.code


def test_too_long_text_is_refused() -> None:
    assert code_of(json.dumps({"type": "text", "text": "a" * (wire.MAX_TEXT_CHARS + 1)})) == "bad_field"


@pytest.mark.parametrize("raw", ["", "not json", "[1,2]", '"text"', "null", "[" * 100_000])
def test_not_one_object_is_bad_json(raw: str) -> None:
    assert code_of(raw) == BadJSON.code


def test_unknown_type() -> None:
    assert code_of('{"type":"session.restart"}') == UnknownType.code


def test_audio_frames() -> None:
    wire.check_audio(b"\x00\x01" * 160)
    for bad in (b"", b"\x00", b"\x00" * (wire.MAX_AUDIO_BYTES + 2)):
        with pytest.raises(BadAudio):
            wire.check_audio(bad)


def test_outgoing_json_is_strict() -> None:
    text = wire.dumps(
        {"type": "evaluation", "score": float("nan"), "metrics": {"wpm": float("inf")}, "n": [1.5]}
    )
    assert json.loads(text) == {"type": "evaluation", "score": None, "metrics": {"wpm": None}, "n": [1.5]}
    assert "NaN" not in text and "Infinity" not in text
    assert wire.dumps({"type": "pong", "t": 1.5, "server_t": 2}) == '{"type":"pong","t":1.5,"server_t":2}'
