"""FasterWhisperSTT with the embedded tiny.en and base models on real speech."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from tests.voice_io.helpers import assert_heard, normalise
from voice_io.errors import STTError
from voice_io.protocols import Float32Array, Transcript
from voice_io.stt import FasterWhisperSTT, load_stt
from voice_io.stt.models import BASE_MODEL_SIZE, base_dir

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def tiny() -> FasterWhisperSTT:
    return FasterWhisperSTT.load("tiny.en", language="en", threads=2)


async def test_tiny_en_transcribes_jfk_with_word_times(tiny: FasterWhisperSTT, jfk: Float32Array) -> None:
    result = await tiny.transcribe(jfk, word_timestamps=True)
    assert isinstance(result, Transcript)
    assert_heard(result.text)
    assert result.language == "en"
    assert result.audio_s == pytest.approx(11.0, abs=0.01)
    words = [normalise(w.text) for w in result.words]
    assert words[:4] == ["and", "so", "my", "fellow"]
    assert words[-1] == "country"
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= 11.0 for w in result.words)
    assert result.words[-1].start > 8.0  # the last "country" is near the end of the clip
    assert all(0.0 <= w.probability <= 1.0 for w in result.words)


async def test_without_word_timestamps_gives_text_only(tiny: FasterWhisperSTT, jfk: Float32Array) -> None:
    result = await tiny.transcribe(jfk[: 3 * 16000])
    assert result.words == ()
    assert normalise(result.text).endswith("fellow americans")


async def test_prompt_steers_the_decoder(tiny: FasterWhisperSTT, jfk: Float32Array) -> None:
    # without context tiny.en hears "and so am I fellow Americans" in the first 3 s
    result = await tiny.transcribe(jfk[: 3 * 16000], prompt="So my fellow Americans.")
    assert normalise(result.text) == "and so my fellow americans"


async def test_empty_audio_is_empty_transcript(tiny: FasterWhisperSTT) -> None:
    result = await tiny.transcribe(np.zeros(0, dtype=np.float32))
    assert result.text == "" and result.words == ()


async def test_event_loop_stays_free_while_decoding(tiny: FasterWhisperSTT, jfk: Float32Array) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        await tiny.transcribe(jfk, word_timestamps=True)
    finally:
        task.cancel()
    # a decode that blocked the loop would let the ticker run at most once
    assert ticks >= 3


async def test_engine_exception_becomes_stt_error(jfk: Float32Array) -> None:
    class Broken:
        def transcribe(self, *args: object, **kwargs: object) -> object:
            raise RuntimeError("CTranslate2 exploded")

    stt = FasterWhisperSTT(Broken(), name="broken", language="en")
    with pytest.raises(STTError, match="exploded"):
        await stt.transcribe(jfk)


@pytest.mark.parametrize("model", ["no-such-whisper-model", "/nonexistent/whisper/dir"])
def test_bad_model_raises_stt_error(model: str, tmp_path: Path) -> None:
    with pytest.raises(STTError) as info:
        FasterWhisperSTT.load(model, cache_dir=tmp_path)
    assert model in str(info.value)
    assert info.value.code == "stt_failed"


def test_unknown_engine_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown STT engine"):
        load_stt("vosk", "tiny.en")  # type: ignore[arg-type]


async def test_base_model_is_built_once_then_reused(tmp_path: Path, jfk: Float32Array) -> None:
    stt = load_stt("faster-whisper", "base", "en", 2, cache_dir=tmp_path)
    model_bin = tmp_path / "whisper-base-ct2" / "model.bin"
    assert model_bin.stat().st_size == BASE_MODEL_SIZE
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (model_bin.parent / name).is_file()
    before = model_bin.stat()

    again = load_stt("faster-whisper", "base", "en", 2, cache_dir=tmp_path)
    after = model_bin.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert list(model_bin.parent.glob("*.tmp")) == []

    result = await again.transcribe(jfk)
    assert_heard(result.text)
    assert stt.name == "faster-whisper:base"


def test_corrupt_base_cache_is_rebuilt(tmp_path: Path) -> None:
    target = base_dir(tmp_path)
    model_bin = target / "model.bin"
    with model_bin.open("r+b") as f:
        f.truncate(1000)
    assert base_dir(tmp_path) == target
    assert model_bin.stat().st_size == BASE_MODEL_SIZE


def test_cache_dir_comes_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from voice_io.stt import cache_dir

    monkeypatch.setenv("VOICE_AGENT_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("VOICE_AGENT_CACHE_DIR")
    assert cache_dir() == Path.home() / ".cache" / "voice-agent"


async def test_concurrent_sessions_share_one_model(tiny: FasterWhisperSTT, jfk: Float32Array) -> None:
    first, second = await asyncio.gather(
        tiny.transcribe(jfk, word_timestamps=True), tiny.transcribe(jfk[5 * 16000 :])
    )
    assert_heard(first.text)
    assert "for your country" in normalise(second.text)
    assert "fellow" not in normalise(second.text)


async def test_vad_segments_transcribe_to_the_lecture_words(
    tiny: FasterWhisperSTT, lecture: Float32Array
) -> None:
    """The voice loop's path: VAD cuts an utterance out of a stream, Whisper reads it."""
    from voice_io.vad import SileroVAD

    stream = SileroVAD.load(min_silence_ms=480).stream()
    segments: list[tuple[float, float]] = []
    start = 0.0
    for i in range(0, 12 * 16000, 320):
        for event in stream.process(lecture[i : i + 320]):
            if event.kind == "speech_start":
                start = event.t
            elif event.kind == "speech_end":
                segments.append((start, event.t))
    # transcript: 0.00-2.68 "and says, how do I get to Dublin?", 9.32-13.52 "That is to say, ..."
    texts = [
        normalise((await tiny.transcribe(lecture[int(s * 16000) : int(e * 16000)])).text) for s, e in segments
    ]
    assert "dublin" in texts[0]
    assert any("wouldn't start from here" in t for t in texts)
