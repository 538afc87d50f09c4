"""Phone-band audio: G.711 µ-law at 8 kHz <-> PCM s16le, and agent speech cut into 20 ms frames.

The codec is the standard library's `audioop` (the `audioop-lts` package from Python 3.13, where it
left the standard library). Resampling is soxr, as everywhere in voice_io, at its low-latency "LQ"
setting: the high-quality one holds back ~80 ms and releases it in bursts, and the 8 kHz band needs
no more. Caller audio is decoded to PCM16 at 8 kHz here and brought to 16 kHz by the session's own
resampler; agent speech (PCM16 at the TTS rate) is resampled to 8 kHz, µ-law encoded and cut into
160-byte frames.
"""

from __future__ import annotations

import warnings

import numpy as np
import soxr

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # 3.11/3.12: deprecated, still the reference codec
    import audioop

PHONE_RATE = 8_000
FRAME_MS = 20
FRAME_BYTES = PHONE_RATE * FRAME_MS // 1000
"""One 20 ms frame of 8 kHz µ-law: 160 bytes (one byte a sample)."""
MULAW_SILENCE = b"\xff"
"""µ-law code of 0 (positive zero)."""


def mulaw_to_pcm16(data: bytes) -> bytes:
    """Decode µ-law bytes into PCM s16le (same rate, two bytes a sample)."""
    return audioop.ulaw2lin(data, 2)


def pcm16_to_mulaw(pcm: bytes) -> bytes:
    """Encode PCM s16le into µ-law bytes (same rate)."""
    if len(pcm) % 2:
        raise ValueError(f"PCM s16le needs an even number of bytes, got {len(pcm)}")
    return audioop.lin2ulaw(pcm, 2)


class PhoneEncoder:
    """PCM16 at `in_rate` -> 8 kHz µ-law in exact 20 ms frames, streaming (filter state kept).

    `push` returns the whole frames ready so far; `flush` ends the stream: the resampler's tail and
    the last partial frame, padded with silence. `reset` drops everything buffered (barge-in).
    """

    def __init__(self, in_rate: int) -> None:
        if in_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {in_rate}")
        self.in_rate = in_rate
        self._stream: soxr.ResampleStream | None = None
        self._pending = b""
        self.reset()

    def reset(self) -> None:
        self._stream = (
            None
            if self.in_rate == PHONE_RATE
            else soxr.ResampleStream(self.in_rate, PHONE_RATE, 1, dtype="int16", quality="LQ")
        )
        self._pending = b""

    def push(self, pcm: bytes) -> list[bytes]:
        if len(pcm) % 2:
            raise ValueError(f"PCM s16le needs an even number of bytes, got {len(pcm)}")
        samples = np.frombuffer(pcm, dtype="<i2")
        return self._cut(self._resample(samples, last=False))

    def flush(self) -> list[bytes]:
        frames = self._cut(self._resample(np.zeros(0, dtype="<i2"), last=True))
        if self._pending:
            frames.append(self._pending.ljust(FRAME_BYTES, MULAW_SILENCE))
        self.reset()
        return frames

    def _resample(self, samples: np.ndarray, *, last: bool) -> bytes:
        if self._stream is None:
            return samples.astype("<i2").tobytes()
        out = self._stream.resample_chunk(samples, last=last)
        return np.asarray(out, dtype="<i2").tobytes()

    def _cut(self, pcm8k: bytes) -> list[bytes]:
        data = self._pending + (pcm16_to_mulaw(pcm8k) if pcm8k else b"")
        n = len(data) // FRAME_BYTES * FRAME_BYTES
        self._pending = data[n:]
        return [data[i : i + FRAME_BYTES] for i in range(0, n, FRAME_BYTES)]
