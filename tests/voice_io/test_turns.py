"""One user turn end to end: carry, speculation, grace, barge-in, partials."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes import EnergyVAD, FakeSTT, VirtualClock, settle, silence, tone
from voice_io.config import SessionConfig
from voice_io.turns import BargeIn, Partial, STTFailed, TurnDetector, TurnEvent, UserSpeech


class Turns:
    def __init__(self, stt: FakeSTT, *, agent_speaking: bool = False, grace_s: float = 0.6) -> None:
        self.clock = VirtualClock()
        self.events: list[TurnEvent] = []
        self.stt = stt
        self.agent = agent_speaking

        async def on_event(event: TurnEvent) -> None:
            self.events.append(event)

        self.detector = TurnDetector(
            vad=EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64).stream(),
            stt=stt,
            sample_rate=16_000,
            on_event=on_event,
            agent_speaking=lambda: self.agent,
            config=SessionConfig(unfinished_grace_s=grace_s, partial_interval_s=1.0),
            clock=self.clock,
            sleep=self.clock.sleep,
        )

    async def play(self, pcm: bytes) -> None:
        for i in range(0, len(pcm), 640):
            await self.detector.feed(pcm[i : i + 640])
            await self.clock.advance(0.02)
        await settle()

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


async def test_a_turn_ends_in_one_user_speech_from_the_speculative_decode() -> None:
    turns = Turns(FakeSTT(["I led the migration."]))
    await turns.play(silence(0.3) + tone(1.0) + silence(0.8))
    (speech,) = turns.of(UserSpeech)
    assert speech.text == "I led the migration."
    assert speech.timer.speculative_stt is True and len(turns.stt.calls) == 1
    assert speech.audio_s == pytest.approx(1.13, abs=0.05)
    assert speech.onset_at == pytest.approx(0.3, abs=0.1)
    assert speech.timer.waterfall()["endpoint_ms"] is not None


async def test_an_unfinished_thought_waits_and_joins_what_follows() -> None:
    turns = Turns(FakeSTT(["I think that", "I think that we should ship it."]))
    await turns.play(tone(1.0) + silence(0.7) + tone(1.0) + silence(0.8))
    (speech,) = turns.of(UserSpeech)
    assert speech.text == "I think that we should ship it."
    assert speech.pauses_s and speech.pauses_s[0] >= 0.5
    assert turns.stt.calls[-1] > 2.0  # both parts decoded together
    assert speech.onset_at == pytest.approx(0.0, abs=0.1)  # the turn began with its first part


async def test_thinking_aloud_waits_longer_and_joins_what_follows() -> None:
    turns = Turns(FakeSTT(["Hmm, let me think.", "Hmm, let me think. I would cache the results."]))
    await turns.play(tone(1.0) + silence(1.5) + tone(1.0) + silence(0.8))  # past 0.48 s + the 0.6 s grace
    (speech,) = turns.of(UserSpeech)
    assert speech.text == "Hmm, let me think. I would cache the results."


async def test_a_finished_sentence_is_handed_on_without_the_grace() -> None:
    turns = Turns(FakeSTT(["That is all."]))
    await turns.play(tone(1.0) + silence(0.6))
    assert turns.of(UserSpeech) and turns.of(UserSpeech)[0].timer.grace_s == 0


async def test_cancel_drops_the_turn_not_handed_on_yet() -> None:
    turns = Turns(FakeSTT(["and so"]))
    await turns.play(tone(1.0) + silence(0.6))  # in its grace now
    await turns.detector.cancel()
    await turns.clock.advance(1.0)
    assert not turns.of(UserSpeech)


async def test_speech_over_the_agent_interrupts_once_it_has_lasted() -> None:
    turns = Turns(FakeSTT(["wait"]), agent_speaking=True)
    await turns.play(tone(0.1))
    assert not turns.of(BargeIn)  # onset seen, not long enough yet
    await turns.play(tone(0.4) + silence(0.6))
    kinds = [type(e).__name__ if not hasattr(e, "kind") else e.kind for e in turns.events]
    assert kinds.count("BargeIn") == 1
    assert kinds.index("speech_start") < kinds.index("BargeIn") < kinds.index("speech_end")


async def test_speech_that_began_before_the_agent_spoke_is_no_barge_in() -> None:
    turns = Turns(FakeSTT(["hello"]))
    await turns.play(tone(0.2))
    turns.agent = True  # e.g. the opening started while the user was already talking
    await turns.play(tone(0.4) + silence(0.6))
    assert not turns.of(BargeIn)


async def test_no_barge_in_when_the_agent_is_quiet() -> None:
    turns = Turns(FakeSTT(["hello"]))
    await turns.play(tone(0.6) + silence(0.6))
    assert not turns.of(BargeIn)


async def test_partials_while_the_user_speaks_but_not_over_the_agent() -> None:
    turns = Turns(FakeSTT(["long answer"]))
    await turns.play(tone(3.0) + silence(0.8))
    partials = turns.of(Partial)
    assert partials and {p.turn_id for p in partials} == {turns.of(UserSpeech)[0].turn_id}
    quiet = Turns(FakeSTT(["long answer"]), agent_speaking=True)
    await quiet.play(tone(3.0) + silence(0.8))
    assert not quiet.of(Partial)


async def test_no_partials_while_another_session_keeps_the_model_workers_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Four talkers on two cores: a partial started now would hold the worker (a decode can't be
    stopped) when another session's turn or reply comes; the turn itself is still transcribed."""
    import threading

    from voice_io import workers

    monkeypatch.setattr(workers, "_HEAVY", workers.PriorityPool(1))
    gate = threading.Event()
    busy = asyncio.create_task(workers.run_in("tts", gate.wait))  # another session's reply
    await asyncio.sleep(0.05)
    turns = Turns(FakeSTT(["long answer"]))
    await turns.play(tone(3.0) + silence(0.8))
    gate.set()
    await busy
    assert not turns.of(Partial)
    assert [s.text for s in turns.of(UserSpeech)] == ["long answer"]


async def test_a_failed_decode_is_reported() -> None:
    turns = Turns(FakeSTT(fail=True))
    await turns.play(tone(1.0) + silence(0.6))
    assert turns.of(STTFailed) and not turns.of(UserSpeech)


async def test_noise_is_handed_on_as_speech_without_words() -> None:
    turns = Turns(FakeSTT([""]))
    await turns.play(tone(0.5) + silence(0.6))
    assert [s.text for s in turns.of(UserSpeech)] == [""]
