"""One scheduler for the blocking model work of every session.

- **VAD** windows (≈0.1 ms each) run on a thread of their own: they never wait behind a Whisper call.
- **End-of-turn** verdicts (≈50 ms of one core, once per pause) too, on another: the endpoint
  waits on them, and behind a speculative Whisper decode they would come too late to save anything.
- **STT, TTS and partial STT** of all sessions share `heavy_workers` threads (fitted to the cores:
  each Whisper or Piper call already uses every core it is given, so two at once only thrash) and
  one priority queue: STT (the turn is waiting) before TTS (the reply is waiting) before partial
  transcripts (a screen nicety). The LLM runs in its own llama.cpp process, behind all of these.
- **Partial transcripts** are optional: one is only started while the model workers are idle
  (`models_idle`), since a decode once started cannot be stopped for another session's turn.
- **Background work yields to STT** (`voice_io.background`): the LLM's process is stopped while any
  decode runs. Under 4 sessions on 2 cores its time slices, even at the lowest priority, stalled
  Whisper's threads (decodes of 2-5 s instead of 0.4 s), and its work comes after the transcript.
- **A reply's first sentence** goes before the later sentences of replies already speaking
  (`later_sentences`): their user hears the audio sent ahead meanwhile; this one's hears silence.
- **Speculative decodes** (a pause that may be the endpoint) run after every turn's decode that is
  known to be final, until the endpoint makes them final too (`SpeculativeLane(floor=
  "speculative_stt")`, promoted by the turn): under load, another session's pause mid-sentence
  does not hold the worker while a finished turn waits.
- **Stale speculative work** is never run: a job whose awaiting task was cancelled (a speculative
  decode the user talked over, a partial of a turn that ended, a preemptive reply discarded) is
  dropped from the queue.
- **Preemptive replies** (`SpeculativeLane`) synthesise at a priority below every real reply's
  TTS; when the turn is committed, `promote()` moves their queued and later jobs up to TTS's.
- **CPU priority**: the model workers, and the thread pools Whisper and Piper start (their models
  load in `in_model_thread`), run `MODEL_NICENESS` steps below the event loop, VAD and end-of-turn
  threads: those need little CPU but need it at once (a barge-in is decided on the VAD's verdict,
  an endpoint on the end-of-turn model's), and on 2 cores a decode that holds both would delay them.
- **Queue time** (submit → start) is added to the `QueueTimes` of the task that submitted the job
  (`timing()`), which the turn reports in `turn.metrics` (`stt_queue_ms`, `tts_queue_ms`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from time import monotonic
from typing import Literal, ParamSpec, TypeVar

from voice_io import background

P = ParamSpec("P")
T = TypeVar("T")

Kind = Literal["vad", "eot", "stt", "tts"]
PRIORITY = {"stt": 0, "speculative_stt": 1, "tts": 2, "tts_next": 3, "speculative": 4, "partial": 5}
"""Lower runs first (VAD and end-of-turn verdicts are not queued here at all)."""
LANE_KIND = {"partial": "stt", "tts_next": "tts"}
"""The lower lanes (`low_priority`, `later_sentences`) and the kind of work each one applies to."""
MODEL_NICENESS = 5
"""How many nice steps below the rest of the process the model threads run (Linux: per thread)."""


def lower_priority(steps: int = MODEL_NICENESS) -> None:
    """Run the calling thread (and the threads it starts from now on) `steps` nice steps below the
    process's main thread (not below that: calling it twice changes nothing more).

    Lowering is always allowed; where it is not supported, nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        tid = threading.get_native_id()
        target = os.getpriority(os.PRIO_PROCESS, os.getpid()) + steps
        if os.getpriority(os.PRIO_PROCESS, tid) < target:
            os.setpriority(os.PRIO_PROCESS, tid, target)


def in_model_thread(fn: Callable[[], T]) -> T:
    """Call `fn` (an engine's load) in a fresh thread at the model workers' priority, so that the
    thread pools the engine starts there (onnxruntime's, CTranslate2's) run at it too."""
    with ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="voice-model-load", initializer=lower_priority
    ) as pool:
        return pool.submit(fn).result()


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class QueueTimes:
    """Seconds that jobs submitted under this record waited for a worker, by stage."""

    waited: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.waited[stage] = self.waited.get(stage, 0.0) + seconds


_TIMES: contextvars.ContextVar[QueueTimes | None] = contextvars.ContextVar("queue_times", default=None)
_LANE: contextvars.ContextVar[str | None] = contextvars.ContextVar("lane", default=None)
_SPECULATIVE: contextvars.ContextVar[SpeculativeLane | None] = contextvars.ContextVar(
    "speculative", default=None
)


@contextlib.contextmanager
def timing(times: QueueTimes) -> Iterator[QueueTimes]:
    """Jobs submitted inside (and by tasks created inside) add their queue time to `times`."""
    token = _TIMES.set(times)
    try:
        yield times
    finally:
        _TIMES.reset(token)


@contextlib.contextmanager
def _lane(stage: str) -> Iterator[None]:
    token = _LANE.set(stage)
    try:
        yield
    finally:
        _LANE.reset(token)


def low_priority() -> contextlib.AbstractContextManager[None]:
    """STT submitted inside runs after all other model work (partial transcripts)."""
    return _lane("partial")


def later_sentences() -> contextlib.AbstractContextManager[None]:
    """TTS submitted inside runs after every reply's first sentence (a reply already speaking)."""
    return _lane("tts_next")


class SpeculativeLane:
    """Model work done before its turn is final: it runs at `floor`'s priority at best until
    `promote()` (the turn is committed); cancelled jobs (a discard) are dropped unrun. The default
    floor is a preemptive reply's (after all other TTS); a speculative decode's is
    "speculative_stt" (after every final decode, before TTS)."""

    def __init__(self, floor: str = "speculative") -> None:
        self.floor = floor
        self.promoted = False
        self._queued: list[tuple[PriorityPool, int, Callable[[], None]]] = []

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Jobs submitted inside (and by tasks created inside) belong to this lane."""
        token = _SPECULATIVE.set(self)
        try:
            yield
        finally:
            _SPECULATIVE.reset(token)

    def priority(self, stage: str) -> int:
        return PRIORITY[stage] if self.promoted else max(PRIORITY[stage], PRIORITY[self.floor])

    def queued(self, pool: PriorityPool, stage: str, job: Callable[[], None]) -> None:
        if not self.promoted:
            self._queued.append((pool, PRIORITY[stage], job))

    def promote(self) -> None:
        """The turn is committed: jobs still queued go up to their stage's own priority."""
        self.promoted = True
        queued, self._queued = self._queued, []
        for pool, priority, job in queued:
            pool.push(priority, job)


class PriorityPool:
    """`threads` workers taking the most urgent job first; FIFO within a priority."""

    def __init__(self, threads: int) -> None:
        self._heap: list[tuple[int, int, Callable[[], None]]] = []
        self._running = 0
        self._ready = threading.Condition()
        self._seq = itertools.count()
        self._threads = [
            threading.Thread(target=self._work, name=f"voice-model-{i}", daemon=True) for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def size(self) -> int:
        return len(self._threads)

    @property
    def idle(self) -> bool:
        """No job running and none queued (a stale job still queued counts until a worker drops it)."""
        with self._ready:
            return self._running == 0 and not self._heap

    def submit(
        self,
        priority: int,
        fn: Callable[[], T],
        *,
        lane: SpeculativeLane | None = None,
        stage: str = "tts",
    ) -> Future[T]:
        future: Future[T] = Future()
        taken = threading.Lock()

        def job() -> None:
            if not taken.acquire(blocking=False):
                return  # already run from its other place in the queue (a promoted job)
            if not future.set_running_or_notify_cancel():
                return  # cancelled while queued: stale, never run
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

        self.push(priority, job)
        if lane is not None:
            lane.queued(self, stage, job)
        return future

    def push(self, priority: int, job: Callable[[], None]) -> None:
        """Queue `job` (also again, at another priority: it runs once, from the first place taken)."""
        with self._ready:
            heapq.heappush(self._heap, (priority, next(self._seq), job))
            self._ready.notify()

    def _work(self) -> None:
        lower_priority()
        while True:
            with self._ready:
                while not self._heap:
                    self._ready.wait()
                _, _, job = heapq.heappop(self._heap)
                self._running += 1
            try:
                job()
            finally:
                with self._ready:
                    self._running -= 1


_OWN_THREAD: dict[str, ThreadPoolExecutor] = {}
"""The kinds with a thread of their own (vad, eot): short jobs that must not queue behind STT/TTS."""
_HEAVY: PriorityPool | None = None
_heavy_workers: int | None = None
_lock = threading.Lock()


def configure(*, heavy_workers: int) -> None:
    """Set the number of shared model workers (before the first job; the composition root calls it)."""
    global _heavy_workers
    with _lock:
        if _HEAVY is not None and _HEAVY.size != heavy_workers:
            raise RuntimeError("the model workers are already running")
        _heavy_workers = max(1, heavy_workers)


def heavy_pool() -> PriorityPool:
    global _HEAVY
    with _lock:
        if _HEAVY is None:
            _HEAVY = PriorityPool(_heavy_workers or default_heavy_workers())
        return _HEAVY


def models_idle() -> bool:
    """Whether the shared model workers have nothing to do (optional work, such as a partial
    transcript, is only started then: once running, a decode cannot be stopped for a turn's)."""
    return _HEAVY is None or _HEAVY.idle


def default_heavy_workers(threads_per_job: int = 2) -> int:
    """One worker per `threads_per_job` cores (Whisper's `cpu_threads`), at least one."""
    return max(1, available_cores() // max(1, threads_per_job))


def _own_thread(kind: str) -> ThreadPoolExecutor:
    with _lock:
        if kind not in _OWN_THREAD:
            _OWN_THREAD[kind] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"voice-{kind}")
        return _OWN_THREAD[kind]


async def run_in(kind: Kind, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` entirely in a model worker thread and await its result (cancel: dropped if queued)."""
    if kind in ("vad", "eot"):
        loop = asyncio.get_running_loop()
        pool = _own_thread(kind)
        return await loop.run_in_executor(pool, lambda: fn(*args, **kwargs))
    lane = _LANE.get()
    stage = lane if lane is not None and LANE_KIND.get(lane) == kind else kind
    times = _TIMES.get()
    submitted = monotonic()

    def job() -> T:
        if times is not None:
            times.add(stage, monotonic() - submitted)
        if kind != "stt":
            return fn(*args, **kwargs)
        with background.paused():
            return fn(*args, **kwargs)

    speculative = _SPECULATIVE.get()
    if speculative is None:
        return await asyncio.wrap_future(heavy_pool().submit(PRIORITY[stage], job))
    return await asyncio.wrap_future(
        heavy_pool().submit(speculative.priority(stage), job, lane=speculative, stage=stage)
    )
