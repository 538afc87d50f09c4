"""Speech segments and the speculative decode, on the energy VAD fake and a virtual clock."""

from __future__ import annotations

import numpy as np
import pytest

from tests.fakes import EnergyVAD, FakeSTT, VirtualClock, settle, silence, tone
from voice_io.listener import PRE_ROLL_S, Listener
from voice_io.protocols import VADEvent

RATE = 16_000


class Ear:
    def __init__(self, stt: FakeSTT | None = None, rate: int = RATE, speculate_after_s: float = 0.0) -> None:
        self.clock = VirtualClock()
        self.events: list[VADEvent] = []
        self.stt = stt or FakeSTT(["hello"])

        async def on_event(event: VADEvent) -> None:
            self.events.append(event)

        self.listener = Listener(
            vad=EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64).stream(),
            stt=self.stt,
            sample_rate=rate,
            on_event=on_event,
            clock=self.clock,
            speculate_after_s=speculate_after_s,
            sleep=self.clock.sleep,
        )
        self.rate = rate

    async def play(self, pcm: bytes, frame_ms: int = 20) -> None:
        size = self.rate * frame_ms // 1000 * 2
        for i in range(0, len(pcm), size):
            await self.listener.feed_pcm16(pcm[i : i + size])
            await self.clock.advance(frame_ms / 1000)
        await settle()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


async def test_one_utterance_is_one_segment_with_its_audio_and_timing() -> None:
    ear = Ear()
    await ear.play(silence(0.5) + tone(1.0) + silence(0.8))
    assert ear.kinds() == ["speech_start", "silence_start", "speech_end"]
    segment = ear.listener.segments.get_nowait()
    assert segment.duration_s == pytest.approx(1.0 + 2 * 0.064, abs=0.05)  # with the VAD's padding
    assert len(segment.audio) == segment.end - segment.start
    assert segment.speech_end_at == pytest.approx(1.5, abs=0.1)  # when the last voiced audio arrived


async def test_the_speculative_decode_starts_at_the_first_silence_and_rides_with_the_segment() -> None:
    ear = Ear()
    await ear.play(tone(1.0) + silence(0.8))
    segment = ear.listener.segments.get_nowait()
    assert segment.speculation is not None
    assert (await segment.speculation.task).text == "hello"
    assert ear.stt.calls == [pytest.approx(segment.duration_s, abs=0.1)]  # one decode, no second


async def test_speech_that_resumes_drops_the_speculation_and_keeps_the_pause() -> None:
    ear = Ear()
    await ear.play(tone(0.6) + silence(0.25) + tone(0.6) + silence(0.8))
    assert ear.kinds() == ["speech_start", "silence_start", "speech_resume", "silence_start", "speech_end"]
    segment = ear.listener.segments.get_nowait()
    assert segment.duration_s == pytest.approx(1.45, abs=0.15)
    assert len(segment.pauses_s) == 1 and 0.1 < segment.pauses_s[0] < 0.4
    assert segment.speculation is not None  # the decode at the second silence covers both parts
    assert ear.stt.calls[-1] == pytest.approx(segment.duration_s, abs=0.1)


async def test_a_pause_shorter_than_speculate_after_never_reaches_whisper() -> None:
    ear = Ear(speculate_after_s=0.12)
    # a short pause between words (dropped before its decode is queued), then the turn's end
    await ear.play(tone(0.6) + silence(0.06) + tone(0.6) + silence(0.8))
    assert ear.kinds().count("silence_start") == 2
    segment = ear.listener.segments.get_nowait()
    assert segment.speculation is not None
    assert (await segment.speculation.task).text == "hello"
    assert ear.stt.calls == [pytest.approx(segment.duration_s, abs=0.1)]  # only the end's decode ran

    eager = Ear()  # 0: every pause is decoded, the one the user talked through too
    await eager.play(tone(0.6) + silence(0.06) + tone(0.6) + silence(0.8))
    assert len(eager.stt.calls) == 2


async def test_a_continued_turn_is_decoded_with_its_earlier_part_in_front() -> None:
    ear = Ear()
    earlier = np.full(RATE, 0.1, dtype=np.float32)
    ear.listener.continue_turn(earlier)
    await ear.play(tone(0.6) + silence(0.8))
    segment = ear.listener.segments.get_nowait()
    assert segment.speculation is not None and segment.speculation.context is earlier
    assert ear.stt.calls[-1] == pytest.approx(1.0 + segment.duration_s, abs=0.1)
    await ear.play(tone(0.6) + silence(0.8))  # after the endpoint the context is gone again
    assert ear.stt.calls[-1] == pytest.approx(ear.listener.segments.get_nowait().duration_s, abs=0.1)


async def test_other_input_rates_are_resampled_to_16_khz() -> None:
    ear = Ear(rate=8_000)
    await ear.play(tone(1.0, rate=8_000) + silence(0.8, rate=8_000))
    segment = ear.listener.segments.get_nowait()
    assert segment.duration_s == pytest.approx(1.0, abs=0.15)


async def test_silence_is_not_kept_beyond_the_pre_roll() -> None:
    ear = Ear()
    await ear.play(silence(5.0))
    assert ear.events == [] and ear.listener.open_audio() is None
    assert len(ear.listener.buffer.slice(0)) <= PRE_ROLL_S * RATE + RATE // 50


async def test_arrival_of_maps_a_sample_to_the_time_its_frame_arrived() -> None:
    ear = Ear()
    await ear.play(silence(1.0))
    assert ear.listener.arrival_of(RATE // 2) == pytest.approx(0.48, abs=0.03)
