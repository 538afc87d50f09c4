"""Audio plumbing: PCM s16le <-> float32, streaming resampling (soxr), and file loading (PyAV).

Inside voice_io, input audio is mono float32 in [-1, 1] at 16 kHz (`INPUT_RATE`); clients may
announce any rate from 8 kHz to 48 kHz, and a per-session `StreamResampler` brings it to 16 kHz.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from voice_io.protocols import INPUT_RATE, Float32Array

_INT16_SCALE = 32768.0


def pcm16_to_float32(pcm: bytes) -> Float32Array:
    """Decode PCM s16le mono bytes into float32 samples in [-1, 1)."""
    if len(pcm) % 2:
        raise ValueError(f"PCM s16le needs an even number of bytes, got {len(pcm)}")
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / _INT16_SCALE


def float32_to_pcm16(samples: Float32Array) -> bytes:
    """Encode float32 samples (clipped to [-1, 1]) as PCM s16le mono bytes."""
    scaled = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0
    return np.round(scaled).astype("<i2").tobytes()


class StreamResampler:
    """Resample a mono float32 stream chunk by chunk, keeping filter state between chunks.

    A passthrough when `in_rate == out_rate`. Call `flush()` once at the end of the stream to get the
    samples the filter still holds.
    """

    def __init__(self, in_rate: int, out_rate: int = INPUT_RATE) -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {in_rate} -> {out_rate}")
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = (
            None if in_rate == out_rate else soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32")
        )

    @property
    def passthrough(self) -> bool:
        return self._stream is None

    def process(self, samples: Float32Array) -> Float32Array:
        samples = np.asarray(samples, dtype=np.float32)
        if self._stream is None:
            return samples
        return np.asarray(self._stream.resample_chunk(samples), dtype=np.float32)

    def process_pcm16(self, pcm: bytes) -> Float32Array:
        return self.process(pcm16_to_float32(pcm))

    def flush(self) -> Float32Array:
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        return np.asarray(
            self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True), dtype=np.float32
        )


def resample(samples: Float32Array, in_rate: int, out_rate: int) -> Float32Array:
    """Resample a whole mono float32 signal at once."""
    samples = np.asarray(samples, dtype=np.float32)
    if in_rate == out_rate:
        return samples
    return np.asarray(soxr.resample(samples, in_rate, out_rate), dtype=np.float32)


def load_audio(path: str | Path, sample_rate: int = INPUT_RATE) -> Float32Array:
    """Decode any audio file PyAV reads into mono float32 at `sample_rate` (channels are mixed)."""
    from faster_whisper.audio import decode_audio

    audio = decode_audio(str(path), sampling_rate=sample_rate)
    return np.asarray(audio, dtype=np.float32)
