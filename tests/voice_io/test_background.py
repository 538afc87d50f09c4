"""Background work (the LLM's process) paused while any STT job runs in the model workers."""

from __future__ import annotations

import asyncio
import threading

import pytest

from voice_io import background, workers
from voice_io.workers import PriorityPool, low_priority


async def test_background_work_pauses_while_any_stt_job_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_HEAVY", PriorityPool(2))  # two decodes may overlap
    log: list[str] = []
    remove = background.pause_during_stt(lambda: log.append("pause"), lambda: log.append("resume"))
    try:
        await workers.run_in("tts", log.append, "tts")  # speech synthesis leaves the LLM running
        assert log == ["tts"]
        first, second = threading.Event(), threading.Event()
        one = asyncio.create_task(workers.run_in("stt", first.wait))
        two = asyncio.create_task(workers.run_in("stt", second.wait))
        await asyncio.sleep(0.05)
        assert log == ["tts", "pause"]  # once, for both
        first.set()
        await one
        assert log == ["tts", "pause"]  # the other decode still runs
        second.set()
        await two
        assert log == ["tts", "pause", "resume"]
        with low_priority():  # a partial transcript is STT too
            await workers.run_in("stt", log.append, "partial")
        assert log[-3:] == ["pause", "partial", "resume"]
    finally:
        remove()
    await workers.run_in("stt", log.append, "after")
    assert log[-1] == "after"  # unregistered: no more pauses
