"""EdgeTTS (offline here: it must fail fast), its MP3 decoding, and FallbackTTS onto Piper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import pytest

from tests.voice_io.helpers import encode_mp3, tone
from voice_io.audio import pcm16_to_float32, resample
from voice_io.errors import TTSError
from voice_io.tts import EdgeTTS, FallbackTTS, Mp3Decoder, PiperTTS, speed_to_rate

UNREACHABLE_PROXY = "http://127.0.0.1:9"  # the discard port: connection refused


def dominant_freq(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio))
    return float(np.argmax(spectrum) * rate / audio.size)


async def collect(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([c async for c in stream])


class FakeTTS:
    """A scripted engine: yields `chunks`, then raises `error` (if any)."""

    def __init__(
        self, name: str, sample_rate: int, chunks: list[bytes], error: TTSError | None = None
    ) -> None:
        self.name = name
        self.sample_rate = sample_rate
        self.chunks = chunks
        self.error = error
        self.calls = 0

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        self.calls += 1
        for chunk in self.chunks:
            yield chunk
        if self.error is not None:
            raise self.error


@pytest.fixture(scope="module")
def piper() -> PiperTTS:
    return PiperTTS.load()


# --------------------------------------------------------------------------- MP3 decoding


@pytest.mark.parametrize("id3", [False, True])
def test_mp3_decoder_streams_a_tone(id3: bool) -> None:
    mp3 = encode_mp3(tone(440, 2.0, 24000), 24000, id3=id3)
    decoder = Mp3Decoder(24000)
    pcm = b"".join(decoder.decode(mp3[i : i + 500]) for i in range(0, len(mp3), 500))
    pcm += decoder.flush()
    audio = pcm16_to_float32(pcm)
    assert audio.size / 24000 == pytest.approx(2.0, abs=0.1)
    assert dominant_freq(audio, 24000) == pytest.approx(440, abs=5)
    assert float(np.sqrt(np.mean(audio**2))) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)


def test_mp3_decoder_resamples() -> None:
    mp3 = encode_mp3(tone(440, 1.0, 24000), 24000)
    decoder = Mp3Decoder(16000)
    audio = pcm16_to_float32(decoder.decode(mp3) + decoder.flush())
    assert audio.size / 16000 == pytest.approx(1.0, abs=0.1)
    assert dominant_freq(audio, 16000) == pytest.approx(440, abs=5)


# --------------------------------------------------------------------------- EdgeTTS


def test_speed_to_rate() -> None:
    assert speed_to_rate(1.0) == "+0%"
    assert speed_to_rate(1.25) == "+25%"
    assert speed_to_rate(0.8) == "-20%"
    with pytest.raises(ValueError):
        speed_to_rate(0)


async def test_edge_fails_fast_with_tts_error_when_unreachable() -> None:
    edge = EdgeTTS(proxy=UNREACHABLE_PROXY, connect_timeout=2)
    with pytest.raises(TTSError, match="edge-tts"):
        await collect(edge.synthesize("Hello there."))


async def test_edge_decodes_streamed_mp3(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the network by a scripted `Communicate` that streams MP3 as edge-tts does."""
    mp3 = encode_mp3(tone(300, 1.5, 24000), 24000)
    seen: dict[str, Any] = {}

    class FakeCommunicate:
        def __init__(self, text: str, voice: str, **kwargs: Any) -> None:
            seen.update(text=text, voice=voice, **kwargs)

        async def stream(self) -> AsyncIterator[dict[str, Any]]:
            yield {"type": "SentenceBoundary", "offset": 0, "duration": 1, "text": "x"}
            for i in range(0, len(mp3), 1000):
                yield {"type": "audio", "data": mp3[i : i + 1000]}

    monkeypatch.setattr("edge_tts.Communicate", FakeCommunicate)
    edge = EdgeTTS("en-GB-SoniaNeural", speed_to_rate(1.1))
    chunks = [c async for c in edge.synthesize("Hi.")]
    assert len(chunks) > 3  # streamed, not one blob at the end
    audio = pcm16_to_float32(b"".join(chunks))
    assert edge.sample_rate == 24000
    assert audio.size / 24000 == pytest.approx(1.5, abs=0.1)
    assert dominant_freq(audio, 24000) == pytest.approx(300, abs=5)
    assert seen["voice"] == "en-GB-SoniaNeural" and seen["rate"] == "+10%"


# --------------------------------------------------------------------------- FallbackTTS


class Recording:
    """Wraps a real engine and keeps a copy of the audio it produced."""

    def __init__(self, inner: PiperTTS) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self.audio = b""

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        async for chunk in self.inner.synthesize(text):
            self.audio += chunk
            yield chunk


@pytest.mark.models
async def test_edge_offline_falls_back_to_piper_resampled(piper: PiperTTS) -> None:
    errors: list[TTSError] = []
    recording = Recording(piper)
    tts = FallbackTTS(EdgeTTS(proxy=UNREACHABLE_PROXY, connect_timeout=2), recording, errors.append)
    assert tts.sample_rate == 24000

    first = pcm16_to_float32(await collect(tts.synthesize("The quick brown fox jumps over the lazy dog.")))
    spoken = pcm16_to_float32(recording.audio)  # what Piper said, at 22050 Hz
    assert 1.5 < spoken.size / 22050 < 5.0
    # the same speech, resampled to 24 kHz
    expected = resample(spoken, 22050, 24000)
    assert first.size == pytest.approx(expected.size, abs=2)
    n = min(first.size, expected.size)
    # streamed chunk by chunk vs resampled in one go: equal but for tiny differences at chunk
    # edges (seen up to 0.0105 peak); a wrong rate or a dropped chunk gives errors near 1
    difference = first[:n] - expected[:n]
    assert np.abs(difference).max() < 0.05
    assert float(np.sqrt(np.mean(difference**2))) < 0.01 * float(np.sqrt(np.mean(expected[:n] ** 2)))

    second = pcm16_to_float32(await collect(tts.synthesize("Second sentence.")))
    assert second.size > 0.5 * 24000
    assert len(errors) == 1 and isinstance(errors[0], TTSError)
    assert tts.fell_back and tts.name == piper.name


async def test_fallback_is_permanent_and_primary_not_retried() -> None:
    primary = FakeTTS("p", 24000, [], TTSError("down"))
    fallback = FakeTTS("f", 24000, [b"\x01\x00" * 100])
    calls: list[TTSError] = []
    tts = FallbackTTS(primary, fallback, calls.append)
    for _ in range(3):
        assert await collect(tts.synthesize("hi")) == b"\x01\x00" * 100
    assert primary.calls == 1 and fallback.calls == 3
    assert [str(e) for e in calls] == ["down"]


async def test_healthy_primary_is_used_without_resampling() -> None:
    primary = FakeTTS("p", 24000, [b"\x02\x00" * 10, b"\x03\x00" * 10])
    fallback = FakeTTS("f", 22050, [b"\x01\x00" * 100])
    tts = FallbackTTS(primary, fallback, lambda e: pytest.fail("no fallback expected"))
    assert await collect(tts.synthesize("hi")) == b"\x02\x00" * 10 + b"\x03\x00" * 10
    assert fallback.calls == 0 and not tts.fell_back


async def test_failure_after_audio_started_propagates_without_switching() -> None:
    primary = FakeTTS("p", 24000, [b"\x02\x00" * 10], TTSError("dropped"))
    fallback = FakeTTS("f", 24000, [b"\x01\x00"])
    calls: list[TTSError] = []
    tts = FallbackTTS(primary, fallback, calls.append)
    got: list[bytes] = []
    with pytest.raises(TTSError, match="dropped"):
        async for chunk in tts.synthesize("hi"):
            got.append(chunk)
    assert got == [b"\x02\x00" * 10]
    assert calls == [] and fallback.calls == 0


async def test_fallback_failure_propagates() -> None:
    tts = FallbackTTS(
        FakeTTS("p", 24000, [], TTSError("down")), FakeTTS("f", 22050, [], TTSError("also down"))
    )
    with pytest.raises(TTSError, match="also down"):
        await collect(tts.synthesize("hi"))


async def test_failing_callback_does_not_stop_speech() -> None:
    def explode(error: TTSError) -> None:
        raise RuntimeError("callback bug")

    tts = FallbackTTS(FakeTTS("p", 24000, [], TTSError("down")), FakeTTS("f", 24000, [b"\x01\x00"]), explode)
    assert await collect(tts.synthesize("hi")) == b"\x01\x00"
