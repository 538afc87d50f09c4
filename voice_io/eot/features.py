"""Whisper's log-mel input features for an 8 s window, in numpy (what smart-turn v3 was trained on).

The same arithmetic as Whisper's feature extractor with an 8 s chunk (`chunk_length=8`,
zero-mean/unit-variance waveform normalisation first): 25 ms periodic-Hann frames every 10 ms
(reflect-padded, centred), power spectrum, 80 Slaney-normalised mel filters from 0 to 8 kHz,
log10 floored at 1e-10, clamped to 8 decades below the peak, scaled by (x + 4) / 4.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

RATE = 16_000
WINDOW_S = 8
N_SAMPLES = RATE * WINDOW_S
N_FFT = 400
HOP = 160
N_MELS = 80


def _hz_to_mel(hz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    mel = 3.0 * hz / 200.0
    high = hz >= 1000.0
    mel[high] = 15.0 + np.log(hz[high] / 1000.0) * (27.0 / np.log(6.4))
    return mel


def _mel_to_hz(mel: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    hz = 200.0 * mel / 3.0
    high = mel >= 15.0
    hz[high] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel[high] - 15.0))
    return hz


def _mel_filters() -> npt.NDArray[np.float64]:
    """(n_fft/2 + 1, N_MELS) triangular filters with Slaney area normalisation."""
    edges = _mel_to_hz(np.linspace(0.0, float(_hz_to_mel(np.array([RATE / 2.0]))[0]), N_MELS + 2))
    bins = np.linspace(0.0, RATE // 2, N_FFT // 2 + 1)
    slopes = edges[None, :] - bins[:, None]
    widths = np.diff(edges)
    down = -slopes[:, :-2] / widths[:-1]
    up = slopes[:, 2:] / widths[1:]
    filters = np.maximum(0.0, np.minimum(down, up))
    return filters * (2.0 / (edges[2:] - edges[:-2]))[None, :]


_FILTERS_T = _mel_filters().T
_HANN = np.hanning(N_FFT + 1)[:-1]  # periodic


def last_window(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The last 8 s of `audio` (16 kHz), zero-padded in front when shorter."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if audio.size >= N_SAMPLES:
        return audio[-N_SAMPLES:]
    return np.concatenate([np.zeros(N_SAMPLES - audio.size, dtype=np.float32), audio])


def log_mel(window: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """(80, 800) features of exactly 8 s of 16 kHz audio (see `last_window`)."""
    x = np.asarray(window, dtype=np.float32).reshape(-1)
    if x.size != N_SAMPLES:
        raise ValueError(f"expected {N_SAMPLES} samples, got {x.size}")
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    padded = np.pad(x.astype(np.float64), (N_FFT // 2, N_FFT // 2), mode="reflect")
    frames = sliding_window_view(padded, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * _HANN, axis=-1)) ** 2  # (frames, bins)
    mel = np.log10(np.maximum(1e-10, _FILTERS_T @ power.T))[:, :-1]
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)
