"""PCM conversion, streaming resampling and file loading."""

from __future__ import annotations

import numpy as np
import pytest
import soxr

from tests.voice_io.helpers import AUDIO_DIR, assert_heard, tone
from voice_io.audio import (
    StreamResampler,
    float32_to_pcm16,
    load_audio,
    pcm16_to_float32,
    resample,
)


def dominant_freq(audio: np.ndarray, rate: int) -> float:
    return float(np.argmax(np.abs(np.fft.rfft(audio))) * rate / audio.size)


# --------------------------------------------------------------------------- PCM


def test_pcm16_known_values() -> None:
    pcm = np.array([0, 16384, -32768, 32767], dtype="<i2").tobytes()
    assert pcm16_to_float32(pcm).tolist() == [0.0, 0.5, -1.0, 32767 / 32768]
    assert pcm16_to_float32(pcm).dtype == np.float32


def test_pcm16_round_trip_and_clipping() -> None:
    x = np.linspace(-1, 1, 1001, dtype=np.float32)
    back = pcm16_to_float32(float32_to_pcm16(x))
    assert np.abs(back - x).max() < 2 / 32768
    loud = float32_to_pcm16(np.array([2.0, -3.0], dtype=np.float32))
    assert np.frombuffer(loud, dtype="<i2").tolist() == [32767, -32767]


def test_pcm16_rejects_odd_length() -> None:
    with pytest.raises(ValueError, match="even"):
        pcm16_to_float32(b"\x00\x01\x02")


def test_empty_pcm() -> None:
    assert pcm16_to_float32(b"").size == 0
    assert float32_to_pcm16(np.zeros(0, dtype=np.float32)) == b""


# --------------------------------------------------------------------------- resampling


@pytest.mark.parametrize("in_rate", [8000, 11025, 22050, 24000, 44100, 48000])
def test_stream_resampler_chunked_matches_rate_and_pitch(in_rate: int) -> None:
    signal = tone(440, 1.0, in_rate)
    resampler = StreamResampler(in_rate, 16000)
    pieces = []
    sizes = [137, 320, 1, 999, 4096]
    i = 0
    k = 0
    while i < signal.size:
        n = sizes[k % len(sizes)]
        pieces.append(resampler.process(signal[i : i + n]))
        i += n
        k += 1
    pieces.append(resampler.flush())
    out = np.concatenate(pieces)
    assert out.dtype == np.float32
    assert out.size == pytest.approx(16000, abs=2)
    assert dominant_freq(out, 16000) == pytest.approx(440, abs=2)
    # same result as resampling the whole signal at once
    whole = soxr.resample(signal, in_rate, 16000)
    n = min(out.size, whole.size)
    assert np.abs(out[:n] - whole[:n]).max() < 1e-3


def test_stream_resampler_passthrough() -> None:
    resampler = StreamResampler(16000, 16000)
    assert resampler.passthrough
    x = tone(300, 0.1, 16000)
    assert np.array_equal(resampler.process(x), x)
    assert resampler.flush().size == 0


def test_stream_resampler_takes_pcm() -> None:
    resampler = StreamResampler(48000, 16000)
    pcm = float32_to_pcm16(tone(440, 0.5, 48000))
    out = np.concatenate([resampler.process_pcm16(pcm), resampler.flush()])
    assert out.size == pytest.approx(8000, abs=2)


def test_bad_rates_rejected() -> None:
    with pytest.raises(ValueError):
        StreamResampler(0, 16000)


def test_resample_whole_signal() -> None:
    out = resample(tone(440, 1.0, 22050), 22050, 24000)
    assert out.size == 24000 and out.dtype == np.float32
    x = tone(440, 0.1, 16000)
    assert resample(x, 16000, 16000) is x


# --------------------------------------------------------------------------- files


def test_load_audio_decodes_resamples_and_mixes_down() -> None:
    jfk = load_audio(AUDIO_DIR / "jfk.flac")  # 44.1 kHz, 24-bit stereo FLAC
    assert jfk.dtype == np.float32 and jfk.ndim == 1
    assert jfk.size == 176_000  # 11.0 s at 16 kHz
    assert 0.05 < np.abs(jfk).max() <= 1.0
    stereo = load_audio(AUDIO_DIR / "stereo_diarization.wav")  # one speaker per channel
    assert stereo.ndim == 1 and stereo.size == 80_000
    low = load_audio(AUDIO_DIR / "jfk.flac", sample_rate=8000)
    assert low.size == 88_000


@pytest.mark.models
async def test_client_audio_at_44k_streams_through_to_whisper() -> None:
    """A browser sending 44.1 kHz PCM in 20 ms frames: resampled on the fly, still understood."""
    from voice_io.stt import FasterWhisperSTT

    source = load_audio(AUDIO_DIR / "jfk.flac", sample_rate=44100)
    frames = [float32_to_pcm16(source[i : i + 882]) for i in range(0, source.size, 882)]
    resampler = StreamResampler(44100, 16000)
    audio = np.concatenate([*(resampler.process_pcm16(f) for f in frames), resampler.flush()])
    assert audio.size == pytest.approx(176_000, abs=4)
    heard = await FasterWhisperSTT.load("tiny.en").transcribe(audio)
    assert_heard(heard.text)
