"""A Twilio Media Streams peer, written from Twilio's documentation, for tests and `make bench`.

It plays Twilio's part of a bidirectional `<Connect><Stream>`: sends `connected`, `start` (with
`customParameters`), `media` (base64 µ-law 8 kHz, 20 ms, real time), `dtmf`, `stop`, each with a
`sequenceNumber`; and receives the server's `media` / `mark` / `clear`. Like Twilio it keeps a
playback buffer: media plays in real time, a `mark` is echoed once the audio queued before it has
played, and `clear` empties the buffer and echoes the pending marks at once.

Every server frame is checked against the documented shapes (`invalid` lists the violations).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

FRAME_MS = 20
PHONE_RATE = 8_000
FRAME_BYTES = PHONE_RATE * FRAME_MS // 1000
_OUT_KEYS = {
    "media": {"event", "streamSid", "media"},
    "mark": {"event", "streamSid", "mark"},
    "clear": {"event", "streamSid"},
}


def sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def to_mulaw_frames(samples16k: np.ndarray) -> list[bytes]:
    """16 kHz float32 speech -> 8 kHz µ-law 20 ms frames (the last padded with silence)."""
    pcm8k = soxr.resample(np.asarray(samples16k, dtype=np.float32), 16_000, PHONE_RATE)
    pcm = (np.clip(pcm8k, -1, 1) * 32767).astype("<i2").tobytes()
    ulaw = audioop.lin2ulaw(pcm, 2)
    ulaw += b"\xff" * (-len(ulaw) % FRAME_BYTES)
    return [ulaw[i : i + FRAME_BYTES] for i in range(0, len(ulaw), FRAME_BYTES)]


def rms(ulaw: bytes) -> float:
    pcm = np.frombuffer(audioop.ulaw2lin(ulaw, 2), dtype="<i2").astype(np.float32) / 32768
    return float(np.sqrt(np.mean(pcm**2))) if len(pcm) else 0.0


@dataclass
class Received:
    t: float
    event: str
    message: dict[str, Any]
    audio: bytes = b""


@dataclass
class TwilioPeer:
    ws: Any
    parameters: dict[str, str] = field(default_factory=dict)
    stream_sid: str = field(default_factory=lambda: sid("MZ"))
    call_sid: str = field(default_factory=lambda: sid("CA"))
    account_sid: str = field(default_factory=lambda: sid("AC"))
    received: list[Received] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    echoed: list[str] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._seq = 0
        self._chunk = 0
        self._t0 = time.monotonic()
        self._play_end = 0.0
        self._pending: list[tuple[float, str]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._queue: list[tuple[list[bytes], asyncio.Future[float]]] = []
        self.changed = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> TwilioPeer:
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._echo_marks())]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def send(self, message: dict[str, Any]) -> None:
        if message["event"] != "connected":
            self._seq += 1
            message = {"event": message["event"], "sequenceNumber": str(self._seq), **message}
        await self.ws.send(json.dumps(message))

    async def start(self, *, line: bool = True) -> None:
        await self.send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        await self.send(
            {
                "event": "start",
                "start": {
                    "streamSid": self.stream_sid,
                    "accountSid": self.account_sid,
                    "callSid": self.call_sid,
                    "tracks": ["inbound"],
                    "customParameters": self.parameters,
                    "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": PHONE_RATE, "channels": 1},
                },
                "streamSid": self.stream_sid,
            }
        )
        if line:
            self._tasks.append(asyncio.create_task(self._line()))

    async def media(self, ulaw: bytes, stream_sid: str | None = None) -> None:
        self._chunk += 1
        ms = int((time.monotonic() - self._t0) * 1000)
        payload = base64.b64encode(ulaw).decode()
        media = {"track": "inbound", "chunk": str(self._chunk), "timestamp": str(ms), "payload": payload}
        await self.send({"event": "media", "streamSid": stream_sid or self.stream_sid, "media": media})

    def say(self, samples16k: np.ndarray) -> asyncio.Future[float]:
        """Queue speech on the line; the future gives the time its last frame was sent."""
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._queue.append((to_mulaw_frames(samples16k), done))
        return done

    async def stream(self, samples16k: np.ndarray) -> float:
        return await self.say(samples16k)

    async def silence(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _line(self) -> None:
        """Like Twilio: one 20 ms media frame every 20 ms for the whole call (silence between turns)."""
        start = time.monotonic()
        n = 0
        frames: list[bytes] = []
        done: asyncio.Future[float] | None = None
        while not self.closed.is_set():
            if not frames and self._queue:
                frames, done = self._queue.pop(0)
            frame = frames.pop(0) if frames else b"\xff" * FRAME_BYTES
            await self.media(frame)
            if done is not None and not frames:
                done.set_result(time.monotonic())
                done = None
            n += 1
            delay = start + n * FRAME_MS / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    async def dtmf(self, digit: str) -> None:
        await self.send(
            {
                "event": "dtmf",
                "streamSid": self.stream_sid,
                "dtmf": {"track": "inbound_track", "digit": digit},
            }
        )

    async def stop(self) -> None:
        await self.send(
            {
                "event": "stop",
                "streamSid": self.stream_sid,
                "stop": {"accountSid": self.account_sid, "callSid": self.call_sid},
            }
        )

    # ------------------------------------------------------------------ from the server

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self._take(frame)
        finally:
            self.closed.set()
            self.changed.set()

    def _take(self, frame: str | bytes) -> None:
        now = time.monotonic()
        if isinstance(frame, bytes):
            self.invalid.append("binary frame")
            return
        try:
            message = json.loads(frame)
        except ValueError:
            self.invalid.append(f"not JSON: {frame[:80]!r}")
            return
        event = message.get("event") if isinstance(message, dict) else None
        if event not in _OUT_KEYS or set(message) != _OUT_KEYS[event]:
            self.invalid.append(f"bad frame {frame[:120]!r}")
            return
        if message["streamSid"] != self.stream_sid:
            self.invalid.append(f"wrong streamSid in {frame[:120]!r}")
        audio = b""
        if event == "media":
            body = message["media"]
            try:
                audio = base64.b64decode(body["payload"], validate=True) if set(body) == {"payload"} else b""
            except (binascii.Error, TypeError):
                audio = b""
            if len(audio) != FRAME_BYTES:
                self.invalid.append(f"media payload of {len(audio)} bytes (want one 20 ms frame)")
            self._play_end = max(self._play_end, now) + FRAME_MS / 1000
        elif event == "mark":
            name = message["mark"].get("name") if isinstance(message["mark"], dict) else None
            if not isinstance(name, str) or set(message["mark"]) != {"name"}:
                self.invalid.append(f"bad mark {frame[:120]!r}")
            else:
                self._pending.append((max(self._play_end, now), name))
        elif event == "clear":
            self._play_end = now
            self._pending = [(now, name) for _, name in self._pending]
        self.received.append(Received(now, event, message, audio))
        self.changed.set()

    async def _echo_marks(self) -> None:
        while True:
            now = time.monotonic()
            due = [name for at, name in self._pending if at <= now]
            self._pending = [(at, name) for at, name in self._pending if at > now]
            for name in due:
                self.echoed.append(name)
                await self.send({"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}})
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------------ queries

    def events(self, event: str) -> list[Received]:
        return [r for r in self.received if r.event == event]

    def audio_after(self, t: float) -> bytes:
        return b"".join(r.audio for r in self.received if r.event == "media" and r.t > t)

    async def wait_for(self, event: str, *, after: float = 0.0, timeout: float = 60.0) -> Received:
        deadline = time.monotonic() + timeout
        while True:
            for r in self.received:
                if r.event == event and r.t > after:
                    return r
            if self.closed.is_set() or time.monotonic() > deadline:
                raise AssertionError(f"no {event} after {after}: {[r.event for r in self.received][-20:]}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=0.5)
            except TimeoutError:
                pass

    async def until_quiet(self, seconds: float, timeout: float = 90.0) -> None:
        """Until no agent audio has arrived for `seconds` (the agent has finished speaking)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            media = self.events("media")
            if media and time.monotonic() - media[-1].t > seconds:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("the agent never stopped talking")
