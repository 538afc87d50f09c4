"""Unclear-word flags: the rule on hand-made words, the calibrated rate on real fluent speech."""

from __future__ import annotations

import pytest

from graph.fluency import WHISPER_DISFLUENCY_PROMPT
from voice_io.protocols import Float32Array, Word
from voice_io.stt import FasterWhisperSTT
from voice_io.stt.confidence import unclear_words

MAX_FLAGS_PER_50_WORDS = 1.0


def words(*probabilities: float) -> tuple[Word, ...]:
    return tuple(
        Word(text=f" word{i},", start=i * 0.4, end=i * 0.4 + 0.3, probability=p)
        for i, p in enumerate(probabilities)
    )


def test_a_low_word_in_clear_speech_is_flagged_with_its_times() -> None:
    flagged = unclear_words(words(0.98, 0.95, 0.05, 0.97, 0.99))
    assert [(u.word, u.index, u.start, u.end) for u in flagged] == [("word2", 2, 0.8, 1.1)]
    assert flagged[0].as_dict()["probability"] == 0.05


def test_nothing_is_flagged_when_the_whole_turn_is_unclear() -> None:
    assert unclear_words(words(0.4, 0.05, 0.5, 0.1, 0.6)) == ()


def test_too_few_words_and_hesitations_are_never_flagged() -> None:
    assert unclear_words(words(0.99, 0.01)) == ()
    um = (Word(text=" um,", start=0.0, end=0.2, probability=0.002), *words(0.99, 0.98, 0.97))
    assert unclear_words(um) == ()


@pytest.fixture(scope="module")
def tiny() -> FasterWhisperSTT:
    return FasterWhisperSTT.load("tiny.en", language="en", threads=2)


@pytest.mark.models
@pytest.mark.parametrize("prompt", [None, WHISPER_DISFLUENCY_PROMPT], ids=["plain", "disfluency-prompt"])
async def test_fluent_human_speech_stays_within_the_calibrated_rate(
    tiny: FasterWhisperSTT, jfk: Float32Array, lecture: Float32Array, prompt: str | None
) -> None:
    for audio, min_words in ((jfk, 18), (lecture, 90)):
        result = await tiny.transcribe(audio, prompt=prompt, word_timestamps=True)
        assert len(result.words) >= min_words  # the recogniser really ran
        flags = unclear_words(result.words)
        assert len(flags) * 50 <= MAX_FLAGS_PER_50_WORDS * len(result.words), [u.word for u in flags]
