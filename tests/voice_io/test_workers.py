"""The shared model workers: priorities, stale work dropped, queue time reported."""

from __future__ import annotations

import asyncio
import threading

import pytest

from voice_io import workers
from voice_io.workers import PriorityPool, QueueTimes, SpeculativeLane, low_priority, timing


async def hold_the_only_worker(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, asyncio.Task[bool]]:
    """One shared model worker, as on two cores, held by a blocker until the gate is set."""
    monkeypatch.setattr(workers, "_HEAVY", PriorityPool(1))
    gate = threading.Event()
    hold = asyncio.create_task(workers.run_in("stt", gate.wait))
    await asyncio.sleep(0.05)
    return gate, hold


def test_the_most_urgent_job_runs_first_and_fifo_within_a_priority() -> None:
    pool = PriorityPool(1)
    gate = threading.Event()
    ran: list[str] = []
    blocker = pool.submit(0, gate.wait)  # holds the only worker while the others queue
    futures = [
        pool.submit(priority, lambda name=name: ran.append(name))
        for priority, name in [(2, "partial"), (1, "tts-a"), (0, "stt"), (1, "tts-b")]
    ]
    gate.set()
    for future in [blocker, *futures]:
        future.result(timeout=5)
    assert ran == ["stt", "tts-a", "tts-b", "partial"]


def test_a_job_cancelled_while_queued_never_runs() -> None:
    pool = PriorityPool(1)
    gate = threading.Event()
    ran: list[str] = []
    blocker = pool.submit(0, gate.wait)
    stale = pool.submit(0, lambda: ran.append("stale"))
    fresh = pool.submit(0, lambda: ran.append("fresh"))
    assert stale.cancel()
    gate.set()
    blocker.result(timeout=5)
    fresh.result(timeout=5)
    assert ran == ["fresh"]


async def test_queue_time_is_reported_per_stage_and_partials_wait_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "_HEAVY", PriorityPool(1))  # as on two cores
    gate = threading.Event()
    order: list[str] = []
    hold = asyncio.create_task(workers.run_in("stt", gate.wait))
    await asyncio.sleep(0.05)  # the blocker holds the only worker

    async def partial() -> None:
        with low_priority():
            await workers.run_in("stt", order.append, "partial")

    with timing(QueueTimes()) as times:
        late = asyncio.create_task(partial())
        await asyncio.sleep(0.01)
        tts = asyncio.create_task(workers.run_in("tts", order.append, "tts"))
        await asyncio.sleep(0.05)
        gate.set()
        await asyncio.gather(hold, late, tts)
    assert order == ["tts", "partial"]
    assert times.waited["tts"] > 0 and times.waited["partial"] > times.waited["tts"]


async def test_vad_never_waits_behind_model_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_HEAVY", PriorityPool(1))
    gate = threading.Event()
    hold = asyncio.create_task(workers.run_in("stt", gate.wait))
    await asyncio.sleep(0.01)
    assert await workers.run_in("vad", lambda: "window") == "window"
    assert not hold.done()  # the Whisper stand-in still holds the only model worker
    gate.set()
    await hold


async def test_models_idle_only_when_nothing_runs_or_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_HEAVY", PriorityPool(1))
    assert workers.models_idle()
    gate = threading.Event()
    hold = asyncio.create_task(workers.run_in("stt", gate.wait))
    await asyncio.sleep(0.05)
    assert not workers.models_idle()
    gate.set()
    await hold
    await asyncio.sleep(0.01)
    assert workers.models_idle()


def test_workers_are_fitted_to_the_cores() -> None:
    cores = workers.available_cores()
    assert workers.default_heavy_workers(2) == max(1, cores // 2)
    assert workers.default_heavy_workers(cores) == 1 and workers.default_heavy_workers(64) == 1


async def test_a_preemptive_reply_synthesises_after_real_replies_until_it_is_promoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate, hold = await hold_the_only_worker(monkeypatch)
    order: list[str] = []
    lane, other = workers.SpeculativeLane(), workers.SpeculativeLane()
    with lane.active():
        early = asyncio.create_task(workers.run_in("tts", order.append, "preempt-committed"))
    with other.active():
        stale = asyncio.create_task(workers.run_in("tts", order.append, "preempt-discarded"))
    await asyncio.sleep(0.01)
    with low_priority():
        partial = asyncio.create_task(workers.run_in("stt", order.append, "partial"))
    real = asyncio.create_task(workers.run_in("tts", order.append, "real"))
    later = asyncio.create_task(workers.run_in("tts", order.append, "real-later"))
    await asyncio.sleep(0.05)
    stale.cancel()  # discarded while queued: never runs
    lane.promote()  # committed: up to TTS priority, queued behind the TTS already waiting
    with lane.active():
        after = asyncio.create_task(workers.run_in("tts", order.append, "preempt-after"))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(hold, early, real, later, after, partial)
    assert order == ["real", "real-later", "preempt-committed", "preempt-after", "partial"]
    assert stale.cancelled()


async def test_a_speculative_decode_waits_behind_final_decodes_until_its_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another session's pause mid-sentence must not hold the worker while a finished turn waits;
    once its own endpoint comes (promote), it is a final decode too. Both go before TTS."""
    gate, hold = await hold_the_only_worker(monkeypatch)
    order: list[str] = []
    pause, ended = SpeculativeLane(floor="speculative_stt"), SpeculativeLane(floor="speculative_stt")
    with pause.active():
        mid = asyncio.create_task(workers.run_in("stt", order.append, "speculative, user went on"))
    with ended.active():
        spec = asyncio.create_task(workers.run_in("stt", order.append, "speculative, then endpoint"))
    await asyncio.sleep(0.01)
    tts = asyncio.create_task(workers.run_in("tts", order.append, "tts"))
    final = asyncio.create_task(workers.run_in("stt", order.append, "final"))
    await asyncio.sleep(0.05)
    ended.promote()
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(hold, mid, spec, tts, final)
    assert order == ["final", "speculative, then endpoint", "speculative, user went on", "tts"]


async def test_a_replys_first_sentence_goes_before_later_sentences_of_replies_speaking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate, hold = await hold_the_only_worker(monkeypatch)
    order: list[str] = []
    with workers.later_sentences():
        later = asyncio.create_task(workers.run_in("tts", order.append, "second sentence of reply A"))
        decode = asyncio.create_task(workers.run_in("stt", order.append, "decode"))  # STT unaffected
    await asyncio.sleep(0.01)
    first = asyncio.create_task(workers.run_in("tts", order.append, "first sentence of reply B"))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(hold, later, decode, first)
    assert order == ["decode", "first sentence of reply B", "second sentence of reply A"]


async def test_an_unpromoted_preemptive_job_waits_behind_real_tts(monkeypatch: pytest.MonkeyPatch) -> None:
    gate, hold = await hold_the_only_worker(monkeypatch)
    order: list[str] = []
    with workers.SpeculativeLane().active():
        early = asyncio.create_task(workers.run_in("tts", order.append, "preempt"))
    await asyncio.sleep(0.01)
    real = asyncio.create_task(workers.run_in("tts", order.append, "real"))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(hold, early, real)
    assert order == ["real", "preempt"]


def test_model_threads_run_below_the_event_loop_and_vad() -> None:
    import os
    import threading

    from voice_io.workers import MODEL_NICENESS, in_model_thread, lower_priority

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    assert nice() == base  # the caller (here: the test's thread) keeps its priority

    def load() -> tuple[int, int]:
        inner: list[int] = []
        child = threading.Thread(target=lambda: inner.append(nice()))  # a pool an engine starts
        child.start()
        child.join()
        lower_priority()  # again: no lower than MODEL_NICENESS below the main thread
        return inner[0], nice()

    assert in_model_thread(load) == (base + MODEL_NICENESS, base + MODEL_NICENESS)
    assert nice() == base
    assert PriorityPool(1).submit(0, nice).result(timeout=5) == base + MODEL_NICENESS  # Whisper, Piper
    with pytest.raises(ZeroDivisionError):
        in_model_thread(lambda: 1 // 0)
