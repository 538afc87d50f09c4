"""Sentences already synthesised, kept for the next time anyone says them, and sentences being
synthesised, shared by everyone who says them meanwhile.

An agent repeats itself: every interview reply starts with one of a few leads ("Thanks, let's move
on."), every session hears the same greeting, and the question bank is shared. `SentenceCache`
wraps one shared `TTS` and keeps each sentence's whole PCM (bounded by bytes, least recently used
out), so a repeated sentence starts at once and takes no model worker from anyone else. Only a
sentence synthesised to its end is kept: a stream cut short (barge-in) or failed is not.

Sessions that start together say the same sentences at the same time (callers arriving at once
hear the same greeting). A sentence already being synthesised is not synthesised again: the later
listener hears the chunks made so far at once and the rest as they come. That one synthesis runs
in a task of its own, submitted under the first listener's priority lane; it stops when the last
of its listeners stops (a barge-in on every session that was saying it). Its queue time counts in
the first listener's `tts_queue_ms`; a later one only waits for chunks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from cachetools import LRUCache

from voice_io.errors import TTSError
from voice_io.protocols import TTS

DEFAULT_BYTES = 32 * 1024 * 1024
"""About 12 minutes of Piper's 22,050 Hz audio."""


@dataclass(eq=False)
class _Synthesis:
    """One sentence being synthesised: its chunks so far, for every listener."""

    chunks: list[bytes] = field(default_factory=list)
    done: bool = False
    error: BaseException | None = None
    listeners: int = 0
    task: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def changed(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self) -> None:
        await self._changed.wait()


class SentenceCache:
    """Implements `voice_io.protocols.TTS` over `inner`, with its sentences cached by text."""

    def __init__(self, inner: TTS, *, max_bytes: int = DEFAULT_BYTES) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self._cache: LRUCache[str, tuple[bytes, ...]] = LRUCache(max_bytes, getsizeof=_size)
        self._making: dict[str, _Synthesis] = {}
        self.hits = 0
        self.misses = 0
        self.shared = 0
        """Sentences heard from a synthesis another listener had started."""

    @property
    def size_bytes(self) -> int:
        """The PCM the cache holds now."""
        return int(self._cache.currsize)

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        key = " ".join(text.split())
        chunks = self._cache.get(key)  # one event loop serves every session: no lock needed
        if chunks is not None:
            self.hits += 1
            for chunk in chunks:
                yield chunk
            return
        making = self._making.get(key)
        if making is None:
            self.misses += 1
            making = self._making[key] = _Synthesis()
            making.task = asyncio.create_task(self._make(key, text, making), name="tts-sentence")
        else:
            self.shared += 1
        making.listeners += 1
        try:
            heard = 0
            while True:
                while heard < len(making.chunks):
                    yield making.chunks[heard]
                    heard += 1
                if making.error is not None:
                    raise making.error
                if making.done:
                    return
                await making.wait()
        finally:
            making.listeners -= 1
            if making.listeners == 0 and not making.done and making.task is not None:
                if self._making.get(key) is making:
                    del self._making[key]  # a new listener starts afresh, not on a stopping task
                making.task.cancel()

    async def _make(self, key: str, text: str, making: _Synthesis) -> None:
        try:
            async for chunk in self.inner.synthesize(text):
                making.chunks.append(chunk)
                making.changed()
        except asyncio.CancelledError:
            making.error = TTSError("the synthesis was stopped")
            raise
        except Exception as exc:
            making.error = exc
        else:
            making.done = True
            if making.chunks:
                with contextlib.suppress(ValueError):  # larger than the whole cache: not kept
                    self._cache[key] = tuple(making.chunks)
        finally:
            if self._making.get(key) is making:
                del self._making[key]
            making.changed()


def _size(chunks: tuple[bytes, ...]) -> int:
    return sum(len(c) for c in chunks) or 1
