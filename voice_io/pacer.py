"""Real-time pacing of agent audio, and the estimate of what the client has played.

Audio is sent at most `lead_s` ahead of the client's play head, so an interruption flushes little
and "what was heard" is knowable (Pipecat's `_write_audio_sleep` idea). The play head model: the
client starts playing at the first frame and plays continuously while it has audio; when the sender
falls behind (TTS slower than real time) the client stalls and resumes with the next frame.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from time import monotonic

Sleep = Callable[[float], Awaitable[None]]


@dataclass(kw_only=True, eq=False)
class Playout:
    sample_rate: int
    lead_s: float = 0.3
    clock: Callable[[], float] = monotonic
    sleep: Sleep = asyncio.sleep
    sent_s: float = field(default=0.0, init=False)
    _origin: float | None = field(default=None, init=False, repr=False)
    """Wall time at which play position 0 was (virtually) played."""

    def played_s(self) -> float:
        """Seconds of this utterance the client has played by now (estimate)."""
        if self._origin is None:
            return 0.0
        return max(0.0, min(self.sent_s, self.clock() - self._origin))

    async def wait_to_send(self) -> None:
        """Sleep until sending more keeps the lead within `lead_s`."""
        if self._origin is None:
            return
        ahead = self.sent_s - (self.clock() - self._origin)
        if ahead > self.lead_s:
            await self.sleep(ahead - self.lead_s)

    def on_sent(self, n_bytes: int) -> None:
        now = self.clock()
        if self._origin is None:
            self._origin = now
        elif now - self._origin > self.sent_s:
            # the client ran dry and waited: playback resumes from this frame
            self._origin = now - self.sent_s
        self.sent_s += n_bytes / 2 / self.sample_rate

    async def wait_played(self) -> None:
        """Sleep until the client has (by estimate) played everything sent."""
        if self._origin is None:
            return
        remaining = self.sent_s - (self.clock() - self._origin)
        if remaining > 0:
            await self.sleep(remaining)


def frames(pcm: bytes, *, sample_rate: int, frame_ms: int = 40) -> Iterator[bytes]:
    """Split PCM s16le mono into frames of `frame_ms` (the last one may be shorter)."""
    size = max(2, int(sample_rate * frame_ms / 1000) * 2)
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]
