"""A growing buffer of 16 kHz input audio addressed by absolute sample index (the audio clock)."""

from __future__ import annotations

import numpy as np

from voice_io.protocols import Float32Array


class AudioBuffer:
    def __init__(self) -> None:
        self._chunks: list[Float32Array] = []
        self._base = 0  # absolute index of the first sample held
        self._size = 0

    @property
    def end(self) -> int:
        """Absolute index one past the last sample appended."""
        return self._base + self._size

    def append(self, samples: Float32Array) -> None:
        if len(samples):
            self._chunks.append(samples)
            self._size += len(samples)

    def slice(self, start: int, stop: int | None = None) -> Float32Array:
        """Samples [start, stop) by absolute index, clipped to what is held."""
        stop = self.end if stop is None else min(stop, self.end)
        start = max(start, self._base)
        if stop <= start:
            return np.zeros(0, dtype=np.float32)
        self._compact()
        data = self._chunks[0]
        return data[start - self._base : stop - self._base]

    def trim_before(self, index: int) -> None:
        """Forget samples before absolute `index`."""
        if index <= self._base:
            return
        self._compact()
        data = self._chunks[0] if self._chunks else np.zeros(0, dtype=np.float32)
        cut = min(index - self._base, len(data))
        rest = data[cut:].copy()
        self._chunks = [rest] if len(rest) else []
        self._base += cut
        self._size = len(rest)

    def _compact(self) -> None:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
