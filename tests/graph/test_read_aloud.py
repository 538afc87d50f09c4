"""Read-aloud scoring: alignment on hand-made words, then real speech from the embedded Piper voice
read correctly and with two words swapped for others, scored through the `score` command."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from graph.workflows.english.reading import feedback, needs_retry, score_reading, words_from_text
from tests.graph.conftest import collect, finished, notices, spoken, turn
from voice_agent.cli import app
from voice_io.protocols import Word

TARGET = "My sister works in a small shop near the station."
SWAPPED = "My brother works in a small shop near the airport."  # sister -> brother, station -> airport


def timed(text: str, low: int | None = None) -> tuple[Word, ...]:
    return tuple(
        Word(text=f" {w}", start=i * 0.4, end=i * 0.4 + 0.3, probability=0.05 if i == low else 0.97)
        for i, w in enumerate(text.split())
    )


def test_a_correct_reading_is_all_ok_with_times_and_rate() -> None:
    result = score_reading(TARGET, timed(TARGET))
    assert result["accuracy"] == 1.0
    assert {w["status"] for w in result["words"]} == {"ok"}
    assert result["words"][3]["start"] == pytest.approx(1.2)
    assert result["wpm"] == pytest.approx(60 * 10 / 3.9, abs=0.1)
    assert not needs_retry(result)
    assert feedback(result, retry=False).startswith("Well read")


def test_omissions_insertions_and_substitutions_are_reported() -> None:
    result = score_reading(TARGET, timed("My sister works in the small shop near station right now"))
    by_word = {w["word"]: w["status"] for w in result["words"]}
    assert by_word["a"] == "substituted" and by_word["the"] == "missed" and by_word["station"] == "ok"
    assert result["substitutions"] == [{"word": "a", "heard": "the"}]
    assert result["omissions"] == ["the"]
    assert result["insertions"] == ["right", "now"]
    assert result["accuracy"] == pytest.approx(8 / 10)
    text = feedback(result, retry=needs_retry(result))
    assert "“the” for “a”" in text and "Let's try once more" in text


def test_a_word_the_recogniser_was_unsure_of_is_unclear_but_said() -> None:
    result = score_reading(TARGET, timed(TARGET, low=5))
    assert result["accuracy"] == 1.0
    assert [(u["word"], u["start"]) for u in result["unclear"]] == [("small", 2.0)]
    assert needs_retry(result)


def test_untimed_text_and_nothing_heard() -> None:
    assert score_reading(TARGET, words_from_text(TARGET.upper()))["accuracy"] == 1.0
    empty = score_reading(TARGET, ())
    assert empty["accuracy"] == 0.0 and len(empty["omissions"]) == 10 and empty["wpm"] is None


def speak_to_wav(text: str, path: Path) -> Path:
    import asyncio

    from voice_io.audio import pcm16_to_float32
    from voice_io.tts import PiperTTS

    async def synth() -> bytes:
        return b"".join([c async for c in PiperTTS.load().synthesize(text)])

    pcm = asyncio.run(synth())
    audio = pcm16_to_float32(pcm)
    assert float(np.sqrt(np.mean(audio**2))) > 0.02  # the voice really spoke
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(pcm)
    return path


def score_cli(target: str, audio: Path) -> dict:
    result = CliRunner().invoke(
        app, ["score", "--workflow", "english", "--read-aloud", target, "--audio", str(audio)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.models
def test_piper_speech_read_correctly_then_with_two_words_swapped(tmp_path: Path) -> None:
    right = score_cli(TARGET, speak_to_wav(TARGET, tmp_path / "right.wav"))
    wrong = score_cli(TARGET, speak_to_wav(SWAPPED, tmp_path / "wrong.wav"))
    assert right["heard"], "the recogniser heard nothing"
    assert 0.9 <= right["accuracy"] <= 1.0
    assert wrong["accuracy"] <= right["accuracy"] - 2 / 10 + 1e-9
    marked = {w["word"]: w for w in wrong["words"] if w["status"] in ("missed", "substituted")}
    assert {"sister", "station"} <= set(marked)
    for w in right["words"]:
        assert w["status"] in ("ok", "unclear", "missed", "substituted")
        if w["status"] == "ok":
            assert 0.0 <= w["start"] <= w["end"] <= 10.0
    assert right["wpm"] and 60 < right["wpm"] < 300


def test_read_aloud_needs_an_audio_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["score", "--workflow", "english", "--read-aloud", TARGET, "--audio", str(tmp_path / "no.wav")]
    )
    assert result.exit_code == 1


# ---------------------------------------------------------------- the exercise in the English graph


async def start_reading(make_responder, **options):
    conversation = await make_responder().open(
        workflow="english", thread_id=None, options={"level": "A2", "exercise": "read aloud", **options}
    )
    return conversation, await collect(conversation.opening())


async def test_the_partner_gives_a_sentence_at_the_learners_level(make_responder) -> None:
    _, events = await start_reading(make_responder)
    text = spoken(events)
    assert "reading aloud" in text
    assert text.endswith("We walk to the park every Sunday morning.")  # the first A2 sentence


async def test_a_misread_sentence_gets_what_to_repeat_and_one_retry(make_responder) -> None:
    conversation, _ = await start_reading(make_responder, turns=2)
    first = await collect(conversation.reply(turn("We walk to the shop every Sunday")))
    reading = notices(first, "evaluation")[0]
    assert reading["exercise"] == "read_aloud" and reading["accuracy"] == pytest.approx(6 / 8)
    assert reading["substitutions"] == [{"word": "park", "heard": "shop"}] and reading["omissions"] == [
        "morning"
    ]
    text = spoken(first)
    assert "Repeat after me: park, morning" in text and text.endswith(
        "We walk to the park every Sunday morning."
    )
    second = await collect(conversation.reply(turn("We walk to the shop every Sunday morning")))
    assert notices(second, "evaluation")[0]["attempt"] == 2
    assert "Next sentence:" in spoken(second)  # one retry only, then the next sentence
    third = await collect(conversation.reply(turn("My sister works in a small shop near the station.")))
    done = finished(third)
    assert done is not None and done.summary["exercise"] == "read_aloud"
    assert done.summary["sentences_read"] == 2 and done.summary["words_to_practise"] == ["park"]
    assert done.summary["accuracy"] == pytest.approx((7 / 8 + 1.0) / 2, abs=1e-3)
