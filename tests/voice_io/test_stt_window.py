"""Whisper's encoder window fitted to the speech (`voice_io.stt.window`), with the real tiny.en."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.voice_io.helpers import assert_heard, normalise
from voice_io.protocols import Float32Array
from voice_io.stt import FasterWhisperSTT
from voice_io.stt.window import FULL_FRAMES, FittedWhisperModel, fitted_frames, looks_looped, token_cap

pytestmark = pytest.mark.models


def padded(content: int) -> np.ndarray:
    """faster-whisper's encoder input: `content` frames of log-mel, then zeros to 3,000."""
    features = np.zeros((80, FULL_FRAMES), dtype=np.float32)
    features[:, :content] = -0.5
    return features


@pytest.mark.parametrize(
    ("content", "frames"), [(1, 1000), (250, 1000), (900, 1000), (901, 2000), (1100, 2000), (2950, 3000)]
)
def test_the_window_is_the_speech_plus_a_second_in_whole_10_s_steps(content: int, frames: int) -> None:
    assert fitted_frames(padded(content), 1000) == frames
    assert fitted_frames(padded(content)[None], 1000) == frames  # batched, as the encoder gets it


def test_a_phrase_said_twice_or_too_many_words_looks_looped() -> None:
    loop = "Well, good luck with that. Good luck with that. Good luck with that."
    assert looks_looped(loop, audio_s=2.2)
    assert looks_looped("who's going to implement a four percent tax who's going to implement a four", 3.4)
    assert looks_looped(" ".join(["word"] * 40), audio_s=3.0)
    jfk = (
        "And so my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country."
    )
    assert not looks_looped(jfk, audio_s=11.0)
    assert not looks_looped("", audio_s=0.0)
    assert not looks_looped(jfk, audio_s=11.0, tokens=40)
    assert looks_looped(jfk, audio_s=11.0, tokens=token_cap(11.0))  # stopped by the cap: not finished


def test_the_token_cap_grows_with_the_audio_within_whisper_s_448() -> None:
    assert token_cap(2.0) == 32
    assert token_cap(11.0) == 16 + 8 * 11
    assert token_cap(30.0) == 200  # + the longest prompt faster-whisper keeps (223) < 448


@pytest.fixture(scope="module")
def fitted() -> FasterWhisperSTT:
    return FasterWhisperSTT.load("tiny.en", language="en", threads=2, window_s=10)


async def test_a_short_turn_is_encoded_in_a_10_s_window_and_heard_the_same(
    fitted: FasterWhisperSTT, jfk: Float32Array, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    encode = FittedWhisperModel.encode

    def spy(self: FittedWhisperModel, features: np.ndarray) -> Any:
        out = encode(self, features)
        seen.append(int(out.shape[1]))  # encoder positions: half the frames
        return out

    monkeypatch.setattr(FittedWhisperModel, "encode", spy)
    short = await fitted.transcribe(jfk[: 3 * 16000])
    whole = await fitted.transcribe(jfk, word_timestamps=True)
    await fitted.transcribe(jfk[:16000])  # a 1 s fragment: the full window (MIN_FITTED_S)
    assert seen == [500, 1000, 1500]  # 3 s -> a 10 s window; 11 s -> 20 s; the full window gives 1500
    assert normalise(short.text).endswith("fellow americans")
    assert_heard(whole.text)
    assert whole.words[-1].start > 8.0 and whole.words[-1].end <= 11.0  # word times stay right


async def test_looped_output_is_decoded_again_with_the_full_window(
    fitted: FasterWhisperSTT, jfk: Float32Array, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voice_io.stt.window as window

    calls: list[bool] = []
    real = window.looks_looped

    def looped_once(text: str, audio_s: float, *, tokens: int = 0) -> bool:
        calls.append(fitted._model.fitting)
        return len(calls) == 1 or real(text, audio_s, tokens=tokens)

    monkeypatch.setattr(window, "looks_looped", looped_once)
    before = FasterWhisperSTT.window_retries
    result = await fitted.transcribe(jfk, word_timestamps=True)
    assert FasterWhisperSTT.window_retries == before + 1
    assert calls == [True]  # the retry is not checked again: the full window is Whisper's own
    assert_heard(result.text)
    assert fitted._model.fitting  # the next decode is fitted again


def test_window_s_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="window_s"):
        FasterWhisperSTT.load("tiny.en", window_s=31)
