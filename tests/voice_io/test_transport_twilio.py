"""Twilio Media Streams: µ-law codec, 20 ms framing, message parsing, and the TwilioCall transport."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import pytest

from bench.twilio_peer import to_mulaw_frames
from tests.voice_io.helpers import tone
from voice_io import wire
from voice_io.audio import float32_to_pcm16, pcm16_to_float32
from voice_io.transports import twilio_wire as tw
from voice_io.transports.mulaw import FRAME_BYTES, PhoneEncoder, mulaw_to_pcm16, pcm16_to_mulaw
from voice_io.transports.twilio import TwilioCall

STREAM = "MZ00000000000000000000000000000001"


def dominant_freq(audio: np.ndarray, rate: int) -> float:
    return float(np.argmax(np.abs(np.fft.rfft(audio))) * rate / audio.size)


# --------------------------------------------------------------------------- codec


def test_mulaw_round_trip_is_close() -> None:
    x = tone(440, 0.5, 8000, amplitude=0.5)
    back = pcm16_to_float32(mulaw_to_pcm16(pcm16_to_mulaw(float32_to_pcm16(x))))
    assert len(back) == len(x)
    # G.711 keeps ~38 dB SNR on a loud tone
    snr = 10 * np.log10(np.sum(x**2) / np.sum((x - back) ** 2))
    assert snr > 30
    assert pcm16_to_mulaw(b"\x00\x00") == b"\xff"


def test_encoder_gives_exact_20ms_frames_at_8khz_keeping_pitch() -> None:
    pcm = float32_to_pcm16(tone(440, 1.0, 22050))
    encoder = PhoneEncoder(22050)
    frames: list[bytes] = []
    for i in range(0, len(pcm), 882):  # 20 ms chunks at 22.05 kHz, as the session sends them
        frames += encoder.push(pcm[i : i + 882])
    frames += encoder.flush()
    assert all(len(f) == FRAME_BYTES for f in frames)
    assert abs(len(frames) - 50) <= 1
    audio = pcm16_to_float32(mulaw_to_pcm16(b"".join(frames)))
    assert abs(dominant_freq(audio[:8000], 8000) - 440) < 3


def test_encoder_reset_drops_what_it_holds() -> None:
    encoder = PhoneEncoder(16000)
    encoder.push(float32_to_pcm16(tone(300, 0.015, 16000)))
    encoder.reset()
    assert encoder.flush() == []


# --------------------------------------------------------------------------- messages


def start_frame(stream_sid: str = STREAM, **params: str) -> str:
    return json.dumps(
        {
            "event": "start",
            "sequenceNumber": "1",
            "start": {
                "accountSid": "AC1",
                "streamSid": stream_sid,
                "callSid": "CA1",
                "tracks": ["inbound"],
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                "customParameters": params,
            },
            "streamSid": stream_sid,
        }
    )


def media_frame(payload: bytes | str, stream_sid: str = STREAM, n: int = 2) -> str:
    text = payload if isinstance(payload, str) else base64.b64encode(payload).decode()
    media = {"track": "inbound", "chunk": str(n), "timestamp": str(20 * n), "payload": text}
    return json.dumps(
        {"event": "media", "sequenceNumber": str(n + 1), "media": media, "streamSid": stream_sid}
    )


def test_parse_documented_events() -> None:
    assert isinstance(
        tw.parse_event('{"event":"connected","protocol":"Call","version":"1.0.0"}'), tw.Connected
    )
    start = tw.parse_event(start_frame(workflow="intake"))
    assert isinstance(start, tw.Start)
    assert start.start.custom_parameters == {"workflow": "intake"}
    assert start.start.media_format.sample_rate == 8000
    media = tw.parse_event(media_frame(b"\xff" * 160))
    assert isinstance(media, tw.Media) and media.media.payload == b"\xff" * 160
    dtmf = tw.parse_event(
        json.dumps(
            {
                "event": "dtmf",
                "streamSid": STREAM,
                "sequenceNumber": "5",
                "dtmf": {"track": "inbound_track", "digit": "1"},
            }
        )
    )
    assert isinstance(dtmf, tw.Dtmf) and dtmf.dtmf.digit == "1"
    stop = tw.parse_event(
        json.dumps(
            {
                "event": "stop",
                "sequenceNumber": "9",
                "streamSid": STREAM,
                "stop": {"accountSid": "A", "callSid": "C"},
            }
        )
    )
    assert isinstance(stop, tw.Stop)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        ('{"event": "nope"}', "event"),
        (media_frame("@@@not-base64@@@"), "base64"),
        (media_frame(""), "non-empty"),
        (b"\x00\x01", "binary"),
    ],
)
def test_parse_rejects_malformed_frames_with_a_reason(raw: str | bytes, reason: str) -> None:
    with pytest.raises(tw.TwilioProtocolError, match=reason):
        tw.parse_event(raw)


def test_outgoing_messages_have_twilios_shape() -> None:
    assert json.loads(tw.clear_message(STREAM)) == {"event": "clear", "streamSid": STREAM}
    assert json.loads(tw.mark_message(STREAM, "u:200")) == {
        "event": "mark",
        "streamSid": STREAM,
        "mark": {"name": "u:200"},
    }
    media = json.loads(tw.media_message(STREAM, b"\x01\x02"))
    assert media == {"event": "media", "streamSid": STREAM, "media": {"payload": "AQI="}}


# --------------------------------------------------------------------------- the transport


class Line:
    """Frames in (a list), frames out (recorded), close recorded."""

    def __init__(self, frames: list[str | bytes]) -> None:
        self.frames = frames
        self.sent: list[dict[str, Any]] = []
        self.closed: tuple[int, str] | None = None

    async def incoming(self) -> AsyncIterator[str | bytes]:
        for frame in self.frames:
            yield frame

    async def send_text(self, text: str) -> None:
        self.sent.append(json.loads(text))

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def call_on(line: Line, **kwargs: Any) -> TwilioCall:
    return TwilioCall(frames=line.incoming(), send_text=line.send_text, close_socket=line.close, **kwargs)


async def collect(call: TwilioCall) -> list[Any]:
    return [item async for item in call.receive()]


async def test_start_opens_the_workflow_and_media_becomes_8khz_pcm() -> None:
    ulaw = to_mulaw_frames(tone(300, 0.04, 16000))
    line = Line([start_frame(workflow="intake", user="ann", caller="abc"), *(media_frame(f) for f in ulaw)])
    items = await collect(call_on(line))
    start = items[0]
    assert isinstance(start, wire.SessionStart)
    assert (start.workflow, start.sample_rate, start.options) == ("intake", 8000, {"user": "ann"})
    assert [len(i) for i in items[1:]] == [320, 320]  # 160 samples of PCM16 each


async def test_bad_input_is_counted_and_the_call_goes_on() -> None:
    line = Line(
        [
            media_frame(b"\xff" * 160),  # before start
            "{oops",
            start_frame(),
            media_frame("!!!"),
            '{"event": "media"}',
            media_frame(b"\xff" * 160),
        ]
    )
    call = call_on(line)
    items = await collect(call)
    assert isinstance(items[0], wire.SessionStart) and items[1:] == [mulaw_to_pcm16(b"\xff" * 160)]
    assert call.stats["bad_before_start"] == 1 and call.stats["bad_malformed"] == 3
    assert line.closed is None


async def test_unknown_stream_sid_closes_the_stream() -> None:
    line = Line([start_frame(), media_frame(b"\xff" * 160, stream_sid="MZother"), media_frame(b"\xff" * 160)])
    call = call_on(line)
    items = await collect(call)
    assert len(items) == 1
    assert line.closed is not None and line.closed[0] == 1008


async def test_unsigned_start_is_refused() -> None:
    line = Line([start_frame(auth="forged"), media_frame(b"\xff" * 160)])
    call = call_on(line, verify_start=lambda start: start.start.custom_parameters.get("auth") == "good")
    assert await collect(call) == []
    assert line.closed is not None and call.stats["unverified"] == 1


async def test_agent_audio_goes_out_as_20ms_media_with_marks_and_played_comes_from_echoes() -> None:
    line = Line([start_frame()])
    call = call_on(line, mark_every=5)
    await collect(call)
    await call.start_utterance(utterance_id="u1", turn_id="t1", sample_rate=16000)
    pcm = float32_to_pcm16(tone(200, 0.5, 16000))
    for i in range(0, len(pcm), 640):
        await call.send_frame(pcm[i : i + 640])
    await call.send_event({"type": "agent.audio_end", "utterance_id": "u1"})
    media = [m for m in line.sent if m["event"] == "media"]
    marks = [m["mark"]["name"] for m in line.sent if m["event"] == "mark"]
    assert all(len(base64.b64decode(m["media"]["payload"])) == FRAME_BYTES for m in media)
    assert abs(len(media) - 25) <= 1 and all(m["streamSid"] == STREAM for m in line.sent)
    assert marks[:2] == ["u1:100", "u1:200"] and marks[-1] == f"u1:{len(media) * 20}"
    assert call.played_s("u1") is None  # nothing confirmed played yet
    call._on_mark("u1:200")
    assert call.played_s("u1") == 0.2


async def test_flush_sends_clear_and_ignores_marks_echoed_by_it() -> None:
    line = Line([start_frame()])
    call = call_on(line, mark_every=5)
    await collect(call)
    await call.start_utterance(utterance_id="u1", turn_id="t1", sample_rate=8000)
    for _ in range(10):
        await call.send_frame(b"\x10\x00" * 160)
    call._on_mark("u1:100")
    await call.flush()
    assert line.sent[-1] == {"event": "clear", "streamSid": STREAM}
    call._on_mark("u1:200")  # Twilio echoes pending marks when the buffer is cleared
    assert call.played_s("u1") == 0.1
    await call.send_frame(b"\x10\x00" * 1600)  # late frames of the cancelled reply go nowhere
    assert line.sent[-1]["event"] == "clear"


async def test_digits_become_one_keypad_turn_at_hash() -> None:
    def dtmf(digit: str) -> str:
        body = {"track": "inbound_track", "digit": digit}
        return json.dumps({"event": "dtmf", "sequenceNumber": "3", "streamSid": STREAM, "dtmf": body})

    line = Line([start_frame(), dtmf("4"), dtmf("2"), dtmf("#")])
    items = await collect(call_on(line))
    keypad = items[-1]
    assert getattr(keypad, "digits", getattr(keypad, "text", None)) == "42"


async def test_session_end_hangs_up() -> None:
    line = Line([start_frame()])
    call = call_on(line)
    await collect(call)
    await call.send_event({"type": "session.started", "thread_id": "th"})
    await call.send_event({"type": "session.ended", "thread_id": "th", "summary": {}})
    assert line.closed == (1000, "conversation ended")
