"""The WebRTC transport (aiortc): Opus audio both ways, JSON events on a data channel.

    browser mic ─ Opus/RTP ─▶ track ─▶ PyAV resampler (16 kHz mono PCM16) ─▶ receive()
    browser     ─ data channel "events" (the socket protocol's JSON) ──────▶ receive()
    session ─ send_frame(PCM at TTS rate) ─▶ soxr 48 kHz ─▶ AgentTrack (20 ms frames) ─ Opus ─▶ browser
    session ─ send_event(JSON) ─▶ data channel

`AgentTrack` is what aiortc's sender pulls from, one 20 ms frame per 20 ms (silence when there is
nothing to say); `flush` drops everything queued at once (barge-in), and what the track has handed
to the encoder per utterance is the played position the session's heard text comes from.
The transport ends (receive() returns) when the data channel closes or the peer connection fails:
the session then ends as on a closed socket, keeping its checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from time import monotonic
from typing import Any

import av
import numpy as np
import soxr
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from voice_io import wire
from voice_io.errors import BadAudio, ClientError
from voice_io.transport import Inbound

log = logging.getLogger(__name__)

TRACK_RATE = 48_000
FRAME_SAMPLES = TRACK_RATE // 50
"""20 ms at 48 kHz."""
MIC_RATE = 16_000
MAX_LATE_S = 0.06
"""The agent track this far behind real time skips ahead instead of catching up."""
MAX_CHUNK_BYTES = MIC_RATE * 2
"""At most 1 s of microphone audio in one chunk (the session takes up to 64 KiB a frame)."""
TAIL_AFTER_S = 0.06
"""No frame for this long: the session has paused, so the resampler's tail is played."""
_END = object()


class AgentTrack(MediaStreamTrack):
    """The agent's voice as an aiortc audio track: 20 ms s16 mono frames at 48 kHz, in real time."""

    kind = "audio"

    def __init__(self, *, clock: Callable[[], float] = monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._pcm = bytearray()
        self._owners: deque[list[Any]] = deque()  # [utterance_id, samples left] in queue order
        self._played: dict[str, int] = {}
        self._start: float | None = None
        self._pts = 0

    def push(self, utterance_id: str, pcm48k: bytes) -> None:
        self._pcm += pcm48k
        if self._owners and self._owners[-1][0] == utterance_id:
            self._owners[-1][1] += len(pcm48k) // 2
        else:
            self._owners.append([utterance_id, len(pcm48k) // 2])

    def flush(self) -> None:
        self._pcm.clear()
        self._owners.clear()

    @property
    def queued_s(self) -> float:
        return len(self._pcm) / 2 / TRACK_RATE

    def played_s(self, utterance_id: str) -> float | None:
        samples = self._played.get(utterance_id)
        return None if samples is None else samples / TRACK_RATE

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = self._clock()
        else:
            self._pts += FRAME_SAMPLES
            wait = self._start + self._pts / TRACK_RATE - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -MAX_LATE_S:
                # the loop was held up: skip the missed time (a gap the browser conceals) rather
                # than burst it, which would pile up in the browser's jitter buffer as latency
                self._pts += int(-wait * TRACK_RATE) // FRAME_SAMPLES * FRAME_SAMPLES
        take = min(len(self._pcm), FRAME_SAMPLES * 2)
        chunk = bytes(self._pcm[:take]).ljust(FRAME_SAMPLES * 2, b"\x00")
        del self._pcm[:take]
        self._credit(take // 2)
        frame = av.AudioFrame(format="s16", layout="mono", samples=FRAME_SAMPLES)
        frame.planes[0].update(chunk)
        frame.pts = self._pts
        frame.sample_rate = TRACK_RATE
        frame.time_base = fractions.Fraction(1, TRACK_RATE)
        return frame

    def _credit(self, samples: int) -> None:
        while samples and self._owners:
            owner = self._owners[0]
            n = min(samples, owner[1])
            self._played[owner[0]] = self._played.get(owner[0], 0) + n
            owner[1] -= n
            samples -= n
            if owner[1] == 0:
                self._owners.popleft()


class WebRTCTransport:
    """One browser peer. `attach_channel` / `attach_mic` wire in what aiortc hands over."""

    def __init__(
        self, *, close_peer: Callable[[], Awaitable[None]], clock: Callable[[], float] = monotonic
    ) -> None:
        self.track = AgentTrack(clock=clock)
        self._close_peer = close_peer
        self._inbox: deque[object] = deque()
        self._ready = asyncio.Event()
        self._channel: Any = None
        self._mic_task: asyncio.Task[None] | None = None
        self._resampler: soxr.ResampleStream | None = None
        self._rate = 0
        self._utterance: str | None = None
        self._tail: asyncio.TimerHandle | None = None
        self.closed = False

    # ------------------------------------------------------------------ inbound

    def attach_channel(self, channel: Any) -> None:
        self._channel = channel
        channel.on("message", self._on_message)
        channel.on("close", self.end)

    def attach_mic(self, track: MediaStreamTrack) -> None:
        if self._mic_task is not None:
            return
        self._mic_task = asyncio.create_task(self._read_mic(track), name="webrtc-mic")

    def _on_message(self, data: str | bytes) -> None:
        if isinstance(data, bytes):
            self._put(BadAudio("audio goes on the media track, not the data channel"))
            return
        try:
            message = wire.parse_text(data)
        except ClientError as exc:
            self._put(exc)
            return
        if isinstance(message, wire.Playback):
            return  # the page's playback estimate: the track knows what it really sent
        if isinstance(message, wire.SessionStart):  # the track delivers 16 kHz whatever the page says
            message = wire.SessionStart(
                workflow=message.workflow,
                thread_id=message.thread_id,
                sample_rate=MIC_RATE,
                options=message.options,
            )
        self._put(message)

    async def _read_mic(self, track: MediaStreamTrack) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=MIC_RATE)
        try:
            while True:
                frame = await track.recv()
                if not isinstance(frame, av.AudioFrame):
                    continue
                for out in resampler.resample(frame):
                    self._put(out.to_ndarray().tobytes())
        except MediaStreamError:
            log.info("webrtc: the microphone track ended")

    def end(self) -> None:
        """The peer is gone (channel closed, connection failed): receive() ends."""
        self._put(_END)

    def _put(self, item: object) -> None:
        self._inbox.append(item)
        self._ready.set()

    async def receive(self) -> AsyncIterator[Inbound]:
        """In order; microphone frames that queued up while the loop was busy (a burst from the
        jitter buffer) come as one chunk, so a stall never looks like audio faster than real time."""
        while True:
            while not self._inbox:
                self._ready.clear()
                await self._ready.wait()
            item = self._inbox.popleft()
            if item is _END:
                return
            if isinstance(item, bytes):
                while self._inbox and isinstance(self._inbox[0], bytes) and len(item) < MAX_CHUNK_BYTES:
                    item += self._inbox.popleft()  # type: ignore[operator]
            yield item  # type: ignore[misc]

    # ------------------------------------------------------------------ outbound

    async def send_event(self, message: Mapping[str, Any]) -> None:
        channel = self._channel
        if channel is None or channel.readyState != "open":
            raise ConnectionError("the data channel is not open")
        channel.send(json.dumps(message, separators=(",", ":")))

    async def start_utterance(self, *, utterance_id: str, turn_id: str, sample_rate: int) -> None:
        self._utterance = utterance_id
        self._rate = sample_rate
        self._resampler = (
            None
            if sample_rate == TRACK_RATE
            else soxr.ResampleStream(sample_rate, TRACK_RATE, 1, dtype="int16", quality="LQ")
        )

    async def send_frame(self, pcm: bytes) -> None:
        if self._utterance is None:
            return
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(np.frombuffer(pcm, dtype="<i2"))
            pcm = np.asarray(samples, dtype="<i2").tobytes()
        self.track.push(self._utterance, pcm)
        if self._tail is not None:
            self._tail.cancel()
        self._tail = asyncio.get_running_loop().call_later(TAIL_AFTER_S, self._flush_tail)

    def _flush_tail(self) -> None:
        """No frame for a moment (end of a sentence): push out what the resampler still holds."""
        self._tail = None
        if self._resampler is not None and self._utterance is not None:
            tail = self._resampler.resample_chunk(np.zeros(0, dtype="<i2"), last=True)
            self.track.push(self._utterance, np.asarray(tail, dtype="<i2").tobytes())
            self._resampler = soxr.ResampleStream(self._rate, TRACK_RATE, 1, dtype="int16", quality="LQ")

    async def flush(self) -> None:
        """Barge-in: nothing queued is played; the outgoing track goes silent at the next frame."""
        if self._tail is not None:
            self._tail.cancel()
            self._tail = None
        self.track.flush()
        self._utterance = None
        self._resampler = None

    def played_s(self, utterance_id: str) -> float | None:
        return self.track.played_s(utterance_id)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.closed:
            return
        self.closed = True
        log.info("webrtc peer closing (%s %s)", code, reason)
        self.end()
        if self._mic_task is not None:
            self._mic_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._mic_task
        self.track.stop()
        await self._close_peer()
