"""`BackgroundWriter`: app-data writes off the latency path, in order, retried, never silently lost.

    writer = BackgroundWriter(db=db, on_failure=report)   # inside the event loop
    writer.submit(add_turn, thread_id=t, turn_id=u, role="user", text="hi")   # returns at once
    ...
    await writer.aclose()                                  # flushes (drain) and stops

Writes for one `thread_id` run one after another in submission order, each in a worker thread;
writes for different threads run side by side. A write failing with a recoverable
`StorageError` (`DatabaseUnavailable`: server down, file locked or gone) is retried with
exponential backoff; after the last attempt, or at once for other errors, `on_failure` gets a
`WriteFailure` and the writer moves on to the thread's next write.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage.database import Database
from storage.errors import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteFailure:
    """A write given up on: the data function, its arguments, the last error and attempts made."""

    function: str
    kwargs: dict[str, Any]
    error: BaseException
    attempts: int

    @property
    def thread_id(self) -> str | None:
        value = self.kwargs.get("thread_id")
        return value if isinstance(value, str) else None


@dataclass
class _Write:
    fn: Callable[..., Any]
    kwargs: dict[str, Any]
    done: asyncio.Future[Any] | None = field(default=None)


def _is_recoverable(error: BaseException) -> bool:
    return isinstance(error, StorageError) and error.recoverable


class BackgroundWriter:
    def __init__(
        self,
        *,
        db: Database,
        on_failure: Callable[[WriteFailure], Any] | None = None,
        attempts: int = 4,
        backoff_s: float = 0.25,
        max_backoff_s: float = 4.0,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be >= 1")
        self.db = db
        self.on_failure = on_failure
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.failures = 0
        self._queues: dict[str | None, collections.deque[_Write]] = {}
        self._tasks: dict[str | None, asyncio.Task[None]] = {}
        self._closed = False

    @property
    def pending(self) -> int:
        """Writes queued or in flight."""
        return sum(len(q) for q in self._queues.values())  # a queue's head is the write in flight

    def submit(self, fn: Callable[..., Any], /, **kwargs: Any) -> None:
        """Queue `fn(db=self.db, **kwargs)`; ordered with the other writes of `kwargs["thread_id"]`."""
        self._enqueue(_Write(fn, kwargs))

    async def call(self, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
        """Like `submit`, but wait for the result (raises the error of the last attempt)."""
        write = _Write(fn, kwargs, asyncio.get_running_loop().create_future())
        self._enqueue(write)
        assert write.done is not None
        return await write.done

    def _enqueue(self, write: _Write) -> None:
        if self._closed:
            raise RuntimeError("BackgroundWriter is closed")
        key = write.kwargs.get("thread_id")
        self._queues.setdefault(key, collections.deque()).append(write)
        if key not in self._tasks:
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"storage-writer:{key}")

    async def _run(self, key: str | None) -> None:
        queue = self._queues[key]
        try:
            while queue:
                write = queue[0]
                await self._perform(write)
                queue.popleft()
        finally:
            del self._tasks[key]
            if not queue:  # else cancelled: the writes left run with the key's next submit
                del self._queues[key]

    async def _perform(self, write: _Write) -> None:
        name = getattr(write.fn, "__name__", repr(write.fn))
        delay = self.backoff_s
        for attempt in range(1, self.attempts + 1):
            try:
                result = await asyncio.to_thread(write.fn, db=self.db, **write.kwargs)
            except Exception as error:
                if _is_recoverable(error) and attempt < self.attempts:
                    log.warning(
                        "write %s for thread %s failed (attempt %d/%d), retrying in %.2fs: %s",
                        name, write.kwargs.get("thread_id"), attempt, self.attempts, delay, error,
                    )  # fmt: skip
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self.max_backoff_s)
                    continue
                await self._fail(write, WriteFailure(name, dict(write.kwargs), error, attempt))
                return
            if write.done is not None and not write.done.done():
                write.done.set_result(result)
            return

    async def _fail(self, write: _Write, failure: WriteFailure) -> None:
        self.failures += 1
        log.error(
            "write %s for thread %s given up after %d attempt(s): %s",
            failure.function, failure.thread_id, failure.attempts, failure.error,
        )  # fmt: skip
        if write.done is not None and not write.done.done():
            write.done.set_exception(failure.error)
        if self.on_failure is None:
            return
        try:
            outcome = self.on_failure(failure)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            log.exception("on_failure callback raised")

    async def drain(self) -> None:
        """Wait until every write submitted so far (and any submitted meanwhile) is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def aclose(self) -> None:
        """Flush all queued writes, then refuse new ones."""
        await self.drain()
        self._closed = True
