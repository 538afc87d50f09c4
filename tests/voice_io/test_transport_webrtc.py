"""The WebRTC transport's parts that need no browser: the agent track (20 ms frames, flush, played
position per utterance) and the data channel's events."""

from __future__ import annotations

import json

import numpy as np

from voice_io import wire
from voice_io.errors import ClientError
from voice_io.transports.webrtc import FRAME_SAMPLES, TRACK_RATE, AgentTrack, WebRTCTransport


def pcm(seconds: float, value: int = 1000) -> bytes:
    return np.full(int(seconds * TRACK_RATE), value, dtype="<i2").tobytes()


async def test_track_plays_20ms_frames_and_counts_what_each_utterance_played() -> None:
    track = AgentTrack()
    track.push("a", pcm(0.05))
    track.push("b", pcm(0.05, 2000))
    frames = [await track.recv() for _ in range(4)]
    assert all(f.samples == FRAME_SAMPLES and f.sample_rate == TRACK_RATE for f in frames)
    assert [f.pts for f in frames] == [0, 960, 1920, 2880]
    assert track.played_s("a") == 0.05 and abs((track.played_s("b") or 0) - 0.03) < 1e-9
    third = frames[2].to_ndarray().reshape(-1)
    assert set(third[:480].tolist()) == {1000} and set(third[480:].tolist()) == {2000}
    track.stop()


async def test_flush_silences_the_track_at_the_next_frame() -> None:
    track = AgentTrack()
    track.push("a", pcm(1.0))
    await track.recv()
    track.flush()
    assert track.queued_s == 0
    assert not (await track.recv()).to_ndarray().any()
    assert track.played_s("a") == FRAME_SAMPLES / TRACK_RATE
    track.stop()


class Channel:
    readyState = "open"

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}
        self.sent: list[str] = []

    def on(self, event: str, handler: object) -> None:
        self.handlers[event] = handler

    def send(self, data: str) -> None:
        self.sent.append(data)


async def test_data_channel_carries_the_socket_protocol() -> None:
    async def close_peer() -> None:
        pass

    transport = WebRTCTransport(close_peer=close_peer)
    channel = Channel()
    transport.attach_channel(channel)
    on_message = channel.handlers["message"]
    on_message(json.dumps({"type": "session.start", "workflow": "intake", "sample_rate": 48000}))  # type: ignore[operator]
    on_message(json.dumps({"type": "playback", "utterance_id": "u", "played_ms": 5}))  # type: ignore[operator]
    on_message("{bad")  # type: ignore[operator]
    channel.handlers["close"]()  # type: ignore[operator]
    items = [item async for item in transport.receive()]
    assert isinstance(items[0], wire.SessionStart) and items[0].sample_rate == 16_000
    assert isinstance(items[1], ClientError) and len(items) == 2  # the page's playback estimate is dropped
    await transport.send_event({"type": "pong", "t": 1})
    assert json.loads(channel.sent[0]) == {"type": "pong", "t": 1}
    await transport.start_utterance(utterance_id="u1", turn_id="t", sample_rate=24_000)
    for _ in range(3):
        await transport.send_frame(np.full(480, 500, dtype="<i2").tobytes())
    assert transport.track.queued_s > 0.03
    await transport.flush()
    assert transport.track.queued_s == 0
