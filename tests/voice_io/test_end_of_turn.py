"""The early endpoint: an end-of-turn judge after a short pause instead of the fixed min-silence.

Positions are audio time (a virtual clock moved by the frames fed), never wall clock: each verdict
is awaited before the next frame (`settle_endpoint`), where it would land live one model call later.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from tests.fakes import EnergyVAD, FakeSTT, VirtualClock, silence, tone
from voice_io.config import SessionConfig
from voice_io.protocols import VAD, EndOfTurn, Float32Array, VADEvent
from voice_io.turns import TurnDetector, TurnEvent, UserSpeech
from voice_io.vad.machine import VADMachine

FRAME = 640  # 20 ms of 16 kHz PCM16


class ScriptedJudge:
    """An `EndOfTurn` with a set answer (or failure), recording what it was asked."""

    name = "scripted"

    def __init__(self, answer: float | Exception) -> None:
        self.answer = answer
        self.asked: list[float] = []

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        self.asked.append(audio.size / 16_000)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class Turns:
    def __init__(self, stt: FakeSTT, judge: EndOfTurn | None, *, vad: VAD | None = None) -> None:
        self.clock = VirtualClock()
        self.events: list[tuple[float, TurnEvent]] = []
        self.stt = stt

        async def on_event(event: TurnEvent) -> None:
            self.events.append((self.clock.now, event))

        vad = vad or EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64)
        self.detector = TurnDetector(
            vad=vad.stream(),
            stt=stt,
            sample_rate=16_000,
            on_event=on_event,
            agent_speaking=lambda: False,
            config=SessionConfig(partial_interval_s=60.0),  # no partials: the STT script is the turn's
            clock=self.clock,
            sleep=self.clock.sleep,
            end_of_turn=judge,
        )

    async def play(self, pcm: bytes) -> None:
        for i in range(0, len(pcm), FRAME):
            await self.detector.feed(pcm[i : i + FRAME])
            await self.detector.settle_endpoint()
            await self.clock.advance(0.02)

    def ends(self) -> list[float]:
        """Audio positions at which `speech_end` arrived."""
        return [at for at, e in self.events if isinstance(e, VADEvent) and e.kind == "speech_end"]

    def speech(self) -> list[UserSpeech]:
        return [e for _, e in self.events if isinstance(e, UserSpeech)]


def test_the_vad_machine_ends_speech_on_request_only_in_a_pause() -> None:
    machine = VADMachine(min_speech_ms=64, min_silence_ms=480, speech_pad_ms=64)
    events = [e for p in (1.0,) * 10 for e in machine.feed(p)]
    assert [e.kind for e in events] == ["speech_start"]
    assert machine.end_now() == []  # speaking, not in a pause: nothing
    assert [e.kind for e in machine.feed(0.0)] == ["silence_start"]
    (end,) = machine.end_now()
    assert end.kind == "speech_end" and end.t == pytest.approx(10 * 0.032 + 0.032, abs=0.001)
    assert not machine.speaking and machine.end_now() == []
    assert [e.kind for e in [e for p in (1.0,) * 3 for e in machine.feed(p)]] == ["speech_start"]


async def test_a_finished_turn_ends_after_the_short_pause() -> None:
    judge = ScriptedJudge(0.9)
    turns = Turns(FakeSTT(["I led the migration."]), judge)
    await turns.play(tone(1.0) + silence(1.0))
    (end,) = turns.ends()
    assert 1.0 + 0.2 <= end < 1.0 + 0.3  # the 200 ms pause, not the 480 ms min-silence
    assert len(judge.asked) == 1 and judge.asked[0] >= 1.0
    (speech,) = turns.speech()
    assert speech.text == "I led the migration."
    metrics = speech.timer.message()
    assert metrics["endpoint_by"] == "model" and metrics["eot_probability"] == 0.9


async def test_an_unfinished_turn_waits_for_the_fixed_silence() -> None:
    judge = ScriptedJudge(0.1)
    turns = Turns(FakeSTT(["I led the migration."]), judge)
    await turns.play(tone(1.0) + silence(1.0))
    (end,) = turns.ends()
    assert end >= 1.0 + 0.48
    (speech,) = turns.speech()
    assert speech.timer.endpoint_by == "silence" and speech.timer.eot_probability == 0.1


async def test_a_failing_judge_falls_back_to_the_fixed_silence_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    judge = ScriptedJudge(RuntimeError("onnx session lost"))
    turns = Turns(FakeSTT(["One.", "Two."]), judge)
    with caplog.at_level(logging.WARNING, logger="voice_io.endpoint"):
        await turns.play(tone(1.0) + silence(1.0) + tone(1.0) + silence(1.0))
    assert len(judge.asked) == 2
    first, second = turns.ends()
    assert first >= 1.48 and second >= 3.48
    assert [s.timer.endpoint_by for s in turns.speech()] == ["silence", "silence"]
    assert [s.timer.eot_probability for s in turns.speech()] == [None, None]
    warnings = [r for r in caplog.records if "onnx session lost" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


async def test_a_pause_shorter_than_the_cue_is_never_judged() -> None:
    judge = ScriptedJudge(0.9)
    turns = Turns(FakeSTT(["I led the migration."]), judge)
    await turns.play(tone(1.0) + silence(0.15) + tone(0.5) + silence(1.0))
    assert len(judge.asked) == 1 and judge.asked[0] >= 1.6
    assert len(turns.ends()) == 1


async def test_speech_after_an_early_end_in_the_grace_joins_the_turn() -> None:
    judge = ScriptedJudge(0.9)
    # "I think that" looks cut off: after the model's early end the grace waits, and the user
    # going on within it makes one turn of both parts
    turns = Turns(FakeSTT(["I think that", "I think that we should ship it."]), judge)
    await turns.play(tone(1.0) + silence(0.35) + tone(1.0) + silence(1.0))
    assert len(turns.ends()) == 2  # the model ended the first part; the carry joined them
    (speech,) = turns.speech()
    assert speech.text == "I think that we should ship it."
    assert speech.timer.endpoint_by == "model"


# ------------------------------------------------------------------ the real model


@pytest.fixture(scope="module")
def piper_speech() -> dict[str, Float32Array]:
    from bench.endpoint_speech import (
        piper_say,
    )  # the embedded voice without sampling noise: the same audio each run

    texts = {
        "finished": "I worked on the payments team for two years.",
        "long": "The main reason we missed the deadline was that the tests were too slow.",
    }
    return dict(zip(texts, piper_say(list(texts.values())), strict=True))


def _pcm(audio: Float32Array) -> bytes:
    from voice_io.audio import float32_to_pcm16

    return float32_to_pcm16(audio)


@pytest.mark.models
async def test_smart_turn_ends_a_finished_sentence_sooner_than_the_fixed_silence(
    piper_speech: dict[str, Float32Array],
) -> None:
    from voice_io.eot.smart_turn import SmartTurn
    from voice_io.vad.silero import SileroVAD

    speech = piper_speech["finished"]
    spoken = speech.size / 16_000
    audio = _pcm(np.concatenate([speech, np.zeros(16_000, dtype=np.float32)]))
    model = Turns(
        FakeSTT(["I worked on the payments team for two years."]), SmartTurn.load(), vad=SileroVAD.load()
    )
    fixed = Turns(FakeSTT(["I worked on the payments team for two years."]), None, vad=SileroVAD.load())
    await model.play(audio)
    await fixed.play(audio)
    (by_model,), (by_silence,) = model.ends(), fixed.ends()
    assert by_silence - spoken >= 0.48
    assert by_model - spoken < 0.35 and by_model < by_silence - 0.15
    (speech_event,) = model.speech()
    assert speech_event.timer.endpoint_by == "model"
    assert speech_event.timer.eot_probability is not None and speech_event.timer.eot_probability >= 0.7


@pytest.mark.models
async def test_smart_turn_does_not_end_the_turn_in_a_mid_sentence_pause(
    piper_speech: dict[str, Float32Array],
) -> None:
    from bench.endpoint_speech import quietest_middle
    from voice_io.eot.smart_turn import SmartTurn
    from voice_io.vad.silero import SileroVAD

    speech = piper_speech["long"]
    cut = quietest_middle(speech)
    pause = np.zeros(int(0.35 * 16_000), dtype=np.float32)  # shorter than the 480 ms min-silence
    tail = np.zeros(16_000, dtype=np.float32)
    audio = _pcm(np.concatenate([speech[:cut], pause, speech[cut:], tail]))
    spoken = (speech.size + pause.size) / 16_000
    real = Turns(FakeSTT(["The main reason we missed the deadline was that the tests were too slow."]),
                 SmartTurn.load(), vad=SileroVAD.load())  # fmt: skip
    await real.play(audio)
    (end,) = real.ends()  # one endpoint: after the sentence, none in the pause
    assert end > spoken
    # the control: a judge that says "finished" to everything cuts the turn in that pause
    control = Turns(FakeSTT(["The main reason", "we missed"]), ScriptedJudge(1.0), vad=SileroVAD.load())
    await control.play(audio)
    assert control.ends()[0] < cut / 16_000 + 0.35
