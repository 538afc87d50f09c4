"""PiperTTS with the embedded joe voice, checked by ear-proxies: level, duration, VAD and STT."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from tests.voice_io.helpers import JFK_TEXT, assert_heard
from voice_agent.memory import resident_bytes
from voice_io.audio import pcm16_to_float32, resample
from voice_io.errors import TTSError
from voice_io.protocols import Float32Array
from voice_io.stt import FasterWhisperSTT
from voice_io.tts import PiperTTS
from voice_io.vad import SileroVAD

pytestmark = pytest.mark.models

SENTENCE = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def piper() -> PiperTTS:
    return PiperTTS.load()


async def speak(tts: PiperTTS, text: str) -> tuple[Float32Array, int]:
    chunks = [c async for c in tts.synthesize(text)]
    assert all(isinstance(c, bytes) and len(c) % 2 == 0 for c in chunks)
    return pcm16_to_float32(b"".join(chunks)), len(chunks)


async def test_sentence_is_audible_and_plausibly_long(piper: PiperTTS) -> None:
    assert piper.sample_rate == 22050
    audio, _ = await speak(piper, SENTENCE)
    seconds = audio.size / piper.sample_rate
    assert 1.5 < seconds < 5.0  # nine words
    rms = float(np.sqrt(np.mean(audio**2)))
    assert rms > 0.03
    assert np.abs(audio).max() <= 1.0


async def test_speech_is_detected_by_the_vad(piper: PiperTTS) -> None:
    audio, _ = await speak(piper, SENTENCE)
    stream = SileroVAD.load(min_silence_ms=480).stream()
    events = stream.process(resample(audio, piper.sample_rate, 16000))
    assert [e.kind for e in events][:1] == ["speech_start"]


async def test_round_trip_through_whisper(piper: PiperTTS) -> None:
    audio, n_chunks = await speak(piper, JFK_TEXT)
    assert n_chunks >= 1
    stt = FasterWhisperSTT.load("tiny.en")
    heard = await stt.transcribe(resample(audio, piper.sample_rate, 16000))
    assert_heard(heard.text)  # a WER bound: exact words differ between AVX2 and AVX-512 kernels


async def test_several_sentences_stream_as_several_chunks(piper: PiperTTS) -> None:
    one, _ = await speak(piper, "Hello there.")
    both, n_chunks = await speak(piper, "Hello there. How are you today?")
    assert n_chunks == 2
    assert both.size > one.size


async def test_a_long_sentence_leaves_no_memory_behind(piper: PiperTTS) -> None:
    """With onnxruntime's CPU arena, the buffers of the longest sentence so far stayed resident for
    good: a server's memory stepped up for hours (138 -> 915 MB over sentences of 1-6 clauses)."""
    clause = "Thanks for that answer about the cache, let us move on to the next question about scaling"
    await speak(piper, clause + ".")
    before = resident_bytes() / 2**20
    audio, _ = await speak(piper, ", and ".join([clause] * 5) + ".")
    assert audio.size / piper.sample_rate > 20  # one long sentence, really spoken
    assert resident_bytes() / 2**20 - before < 120


async def test_speed_changes_duration(piper: PiperTTS) -> None:
    fast = PiperTTS.load(speed=1.5)
    normal_audio, _ = await speak(piper, SENTENCE)
    fast_audio, _ = await speak(fast, SENTENCE)
    ratio = fast_audio.size / normal_audio.size
    assert 0.55 < ratio < 0.8


async def test_blank_text_yields_nothing(piper: PiperTTS) -> None:
    assert [c async for c in piper.synthesize("   ")] == []


async def test_event_loop_stays_free_while_synthesising(piper: PiperTTS) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.002)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        await speak(piper, JFK_TEXT + " " + JFK_TEXT)
    finally:
        task.cancel()
    assert ticks >= 3


async def test_engine_failure_becomes_tts_error(piper: PiperTTS) -> None:
    class Config:
        sample_rate = 22050
        length_scale = 1.0

    class BrokenVoice:
        config = Config()

        def synthesize(self, text: str, syn_config: object = None) -> object:
            def chunks() -> object:
                raise RuntimeError("onnx exploded")
                yield

            return chunks()

    broken = PiperTTS(BrokenVoice(), name="broken")  # type: ignore[arg-type]
    with pytest.raises(TTSError, match="exploded"):
        await speak(broken, "Hello.")


def test_missing_voice_file_raises_tts_error(tmp_path: Path) -> None:
    with pytest.raises(TTSError):
        PiperTTS.load(model_path=tmp_path / "nope.onnx", config_path=tmp_path / "nope.onnx.json")
