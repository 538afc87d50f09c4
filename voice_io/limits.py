"""What one caller may send: the audio rate and the bad-input budget, as pure decisions on a time
the caller passes in (no clock, no I/O), so the session's limits are tested without a socket."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from voice_io.config import SessionConfig


@dataclass(kw_only=True, eq=False)
class FrameLimiter:
    max_frames_per_s: int = 200
    max_audio_bytes_per_s: int = 48_000 * 2 * 4
    max_bad: int = 20
    bad_window_s: float = 10.0
    _frames: deque[tuple[float, int]] = field(default_factory=deque, init=False, repr=False)
    _bad: deque[float] = field(default_factory=deque, init=False, repr=False)
    _said: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, config: SessionConfig) -> FrameLimiter:
        return cls(
            max_frames_per_s=config.max_frames_per_s,
            max_audio_bytes_per_s=config.max_audio_bytes_per_s,
            max_bad=config.max_bad_frames,
            bad_window_s=config.bad_window_s,
        )

    def admit(self, now: float, n_bytes: int) -> bool:
        """Count one audio frame; False when it goes over the rate within the last second (drop it:
        a dropped frame does not count towards the rate)."""
        self._frames.append((now, n_bytes))
        while self._frames and now - self._frames[0][0] > 1.0:
            self._frames.popleft()
        if (
            len(self._frames) > self.max_frames_per_s
            or sum(n for _, n in self._frames) > self.max_audio_bytes_per_s
        ):
            self._frames.pop()
            return False
        return True

    def bad(self, now: float) -> bool:
        """Count one bad input; True once more than `max_bad` arrived within `bad_window_s`."""
        self._bad.append(now)
        while self._bad and now - self._bad[0] > self.bad_window_s:
            self._bad.popleft()
        return len(self._bad) > self.max_bad

    def once_a_second(self, key: str, now: float) -> bool:
        """True at most once a second per `key`: for errors that would otherwise repeat every frame."""
        if now - self._said.get(key, float("-inf")) < 1.0:
            return False
        self._said[key] = now
        return True
