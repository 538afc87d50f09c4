"""Fluency metrics of a spoken answer, from text alone and with word timings and VAD pauses."""

from __future__ import annotations

import pytest

from graph.fluency import WHISPER_DISFLUENCY_PROMPT, count_fillers, fluency_metrics, lexical_diversity
from voice_io.protocols import Word


def timed(
    text: str, *, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None
) -> list[Word]:
    """Words of `text`, each `step` long back to back, with extra silence before word i from `gaps`."""
    out, t = [], start
    for i, token in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        out.append(Word(token, t, t + step))
        t += step
    return out


def test_text_only_gives_fillers_and_diversity_but_no_timing() -> None:
    m = fluency_metrics(text="Um, so I was, like, really nervous, you know, but I mean it went fine.")
    assert m["fillers"] == {"um": 1, "so": 1, "like": 1, "you know": 1, "i mean": 1}
    assert m["filler_count"] == 5
    assert m["word_count"] == 15
    assert m["fillers_per_100_words"] == pytest.approx(33.3)
    assert m["wpm"] is None and m["pause_ratio"] is None and m["long_pauses"] is None
    assert m["time_to_first_word_s"] is None
    assert 0 < m["lexical_diversity"] <= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I like Python and I would like to learn Rust.", {}),
        ("What kind of database do you use? Do you know how it works?", {}),
        ("It looks like a bug, and I feel like it is fine.", {}),
        ("It was, like, twenty people.", {"like": 1}),
        ("It was like really hard.", {"like": 1}),
        ("Like, I never thought about it.", {"like": 1}),
        ("It was kind of hard and sort of slow.", {"kind of": 1, "sort of": 1}),
        ("So I started. Basically it worked, actually.", {"so": 1, "basically": 1, "actually": 1}),
        ("I did it so the team could rest.", {}),
        ("Umm, uhh, erm, ahh.", {"um": 1, "uh": 1, "er": 1, "ah": 1}),
        ("It was hard, you know.", {"you know": 1}),
        ("What I mean is simple.", {}),
    ],
)
def test_fillers_are_counted_only_when_used_as_fillers(text: str, expected: dict[str, int]) -> None:
    assert count_fillers(text) == expected


def test_pace_and_pauses_from_word_timestamps() -> None:
    # 20 words of 0.4 s = 8 s of words, plus a 0.5 s gap and a 1.5 s gap = 10 s of speech
    words = timed(" ".join(["word"] * 20), gaps={5: 0.5, 12: 1.5})
    m = fluency_metrics(text=" ".join(w.text for w in words), words=words, audio_s=10.0)
    assert m["wpm"] == pytest.approx(120.0)
    assert m["pause_ratio"] == pytest.approx(0.2)
    assert m["long_pauses"] == 1


def test_small_gaps_between_words_are_not_pauses() -> None:
    words = timed("one two three four", gaps={1: 0.2, 2: 0.25, 3: 0.1})
    m = fluency_metrics(text="one two three four", words=words, audio_s=2.2)
    assert m["pause_ratio"] == 0.0 and m["long_pauses"] == 0


def test_vad_pauses_and_word_gaps_are_not_double_counted() -> None:
    words = timed("I think that is right", gaps={2: 1.2})
    both = fluency_metrics(text="I think that is right", words=words, audio_s=3.2, pauses_s=(1.2,))
    assert both["pause_ratio"] == pytest.approx(1.2 / 3.2, abs=1e-3)
    assert both["long_pauses"] == 1
    vad_only = fluency_metrics(text="I think that is right", audio_s=6.0, pauses_s=(0.5, 2.0, 1.5))
    assert vad_only["pause_ratio"] == pytest.approx(4.0 / 6.0, abs=1e-3)
    assert vad_only["long_pauses"] == 2
    assert vad_only["wpm"] == pytest.approx(50.0)


def test_duration_falls_back_to_the_word_span() -> None:
    words = timed("a b c d e f g h i j", start=1.0, step=0.3)  # 10 words over 3 s
    assert fluency_metrics(text="", words=words)["wpm"] == pytest.approx(200.0)


def test_time_to_first_word_adds_the_response_delay() -> None:
    words = timed("well I would say yes", start=0.8)
    m = fluency_metrics(text="well I would say yes", words=words, audio_s=3.0, response_delay_s=1.5)
    assert m["time_to_first_word_s"] == pytest.approx(2.3)
    assert fluency_metrics(text="yes", response_delay_s=0.9)["time_to_first_word_s"] == pytest.approx(0.9)


def test_lexical_diversity_uses_mattr_for_long_texts() -> None:
    varied = (
        "the quick brown fox jumps over a lazy dog while seven wizards box jolly quirky "
        "zebras near frozen lakes beside tall pine trees under grey winter skies today"
    ).split()
    repetitive = ("I did the thing and the thing was the thing I did " * 5).split()
    assert lexical_diversity(varied) > 0.95
    assert lexical_diversity(repetitive) < 0.5
    # short text: plain type-token ratio
    assert lexical_diversity("yes yes no".split()) == pytest.approx(2 / 3, abs=1e-3)
    assert lexical_diversity([]) == 0.0


def test_odd_input_never_raises() -> None:
    for text, count in (("", 0), ("...", 0), ("?!", 0), ("um um um", 3), ("word " * 5000, 5000)):
        m = fluency_metrics(text=text, words=(), audio_s=0.0)
        assert m["word_count"] == count and m["wpm"] is None  # no audio: no pace
    assert fluency_metrics(text="um um um")["fillers"] == {"um": 3}


def test_whisper_prompt_contains_hesitations() -> None:
    lowered = WHISPER_DISFLUENCY_PROMPT.lower()
    assert "um" in lowered and "like" in lowered and ("uh" in lowered or "hmm" in lowered)
    assert count_fillers(WHISPER_DISFLUENCY_PROMPT)["um"] >= 1
