"""The benches' WebSocket client: a microphone streaming real time (`Mic`), a recorder of what the
server sends (`Recorder`), and the interview's readiness turn (`say_ready`)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import Any

import numpy as np

from voice_io.audio import float32_to_pcm16

RATE = 16_000
FRAME_MS = 20


class Mic:
    """Streams queued speech, else silence, in real time; remembers when each clip's samples left."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.queue: deque[tuple[np.ndarray, asyncio.Future[float]]] = deque()

    def say(self, samples: np.ndarray) -> asyncio.Future[float]:
        """Queue a clip; the future gives the monotonic time its first sample was sent."""
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.queue.append((samples, fut))
        return fut

    async def run(self) -> None:
        size = RATE * FRAME_MS // 1000
        current: np.ndarray | None = None
        pos = 0
        start = time.monotonic()
        n = 0
        while True:
            if current is None and self.queue:
                current, fut = self.queue.popleft()
                pos = 0
                fut.set_result(time.monotonic())
            if current is not None:
                frame = current[pos : pos + size]
                pos += size
                if pos >= len(current):
                    current = None
                if len(frame) < size:
                    frame = np.concatenate([frame, np.zeros(size - len(frame), dtype=np.float32)])
            else:
                frame = np.zeros(size, dtype=np.float32)
            await self.ws.send(float32_to_pcm16(frame))
            n += 1
            delay = start + n * FRAME_MS / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)


class Recorder:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.items: list[tuple[float, str, Any]] = []
        self.changed = asyncio.Event()

    async def run(self) -> None:
        async for frame in self.ws:
            kind = "audio" if isinstance(frame, bytes) else "json"
            self.items.append((time.monotonic(), kind, frame if kind == "audio" else json.loads(frame)))
            self.changed.set()

    def find(self, kind: str, since: float = 0.0, **match: Any) -> tuple[float, dict[str, Any]] | None:
        for t, k, m in self.items:
            if (
                k == "json"
                and t >= since
                and m["type"] == kind
                and all(m.get(a) == b for a, b in match.items())
            ):
                return t, m
        return None

    async def wait(
        self, kind: str, since: float = 0.0, timeout: float = 60.0, **match: Any
    ) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while (found := self.find(kind, since, **match)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {kind} {match}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), 0.5)
            except TimeoutError:
                pass
        return found

    def first_audio_after(self, t0: float) -> float | None:
        return next((t for t, k, _ in self.items if k == "audio" and t > t0), None)

    async def idle(self, timeout: float = 90.0) -> None:
        """Until every agent utterance has ended or been interrupted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            starts = {
                m["utterance_id"]
                for _, k, m in self.items
                if k == "json" and m["type"] == "agent.audio_start"
            }
            done = {
                m["utterance_id"]
                for _, k, m in self.items
                if k == "json" and m["type"] in ("agent.audio_end", "interrupted")
            }
            if starts <= done:
                await asyncio.sleep(0.3)
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("agent never finished speaking")


READY = "I'm ready."
"""The interview's greeting asks whether the candidate is ready; question 1 comes after their word."""


async def say_ready(ws: Any, rec: Recorder, timeout: float = 120.0) -> None:
    """Answer the interview's readiness question with a typed turn and wait for question 1 to be
    spoken: the measured spoken turns that follow are answers to questions, as before the
    readiness turn existed (a typed turn has no voice-to-voice to measure)."""
    sent = time.monotonic()
    await ws.send(json.dumps({"type": "text", "text": READY}))
    await rec.wait("agent.audio_start", since=sent, timeout=timeout)
    await rec.idle()
