"""`bench.endpoint` on one sample, with the real models: the numbers it reports are what happened."""

from __future__ import annotations

import numpy as np
import pytest

from bench.endpoint import AudioClock, run
from bench.endpoint_speech import SENTENCES, Sample, piper_samples
from voice_io.eot.smart_turn import SmartTurn
from voice_io.protocols import INPUT_RATE
from voice_io.stt.factory import load_stt
from voice_io.vad.silero import SileroVAD


async def test_the_audio_clock_wakes_sleepers_only_when_enough_audio_was_fed() -> None:
    import asyncio

    clock = AudioClock()
    woken: list[float] = []

    async def nap() -> None:
        await clock.sleep(0.5)
        woken.append(clock())

    task = asyncio.create_task(nap())
    await asyncio.sleep(0)
    clock.fed = int(0.4 * INPUT_RATE)
    clock.wake()
    await asyncio.sleep(0)
    assert woken == []
    clock.fed = int(0.5 * INPUT_RATE)
    clock.wake()
    await task
    assert woken == [0.5]


def test_a_sample_knows_its_sentence_ends() -> None:
    sample = Sample("s", np.zeros(10, dtype=np.float32), ends=[2.0, 5.0])
    assert sample.at_end(2.3) and sample.at_end(4.6) and not sample.at_end(3.0)


@pytest.mark.models
async def test_one_sentence_with_a_long_pause_through_both_policies() -> None:
    whole, *_, long_pause = piper_samples(1)  # "I worked on the payments team for two years."
    assert SENTENCES[0].startswith("I worked")
    vad, stt, model = SileroVAD.load(), load_stt("faster-whisper", "tiny.en", "en", 2), SmartTurn.load()
    fixed = await run(whole, vad=vad, stt=stt, judge=None, threshold=0.7, stt_delay_s=0.0)
    early = await run(whole, vad=vad, stt=stt, judge=model, threshold=0.7, stt_delay_s=0.0)
    assert fixed["cut_offs"] == 0 and fixed["by_model"] == 0 and fixed["endpoint_ms"][0] >= 480
    assert early["cut_offs"] == 0 and early["by_model"] == 1 and early["endpoint_ms"][0] < 300
    assert "payments" in early["texts"][0].lower()
    # a 0.70 s pause mid-sentence is longer than the fixed 480 ms: that policy cuts there
    cut = await run(long_pause, vad=vad, stt=stt, judge=None, threshold=0.7, stt_delay_s=0.0)
    assert cut["segment_cuts"] == 1 and len(cut["texts"]) == 1 + cut["cut_offs"]
