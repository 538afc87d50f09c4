"""Sentences already synthesised, kept for the next time anyone says them.

An agent repeats itself: every interview reply starts with one of a few leads ("Thanks, let's move
on."), every session hears the same greeting, and the question bank is shared. `SentenceCache`
wraps one shared `TTS` and keeps each sentence's whole PCM (bounded by bytes, least recently used
out), so a repeated sentence starts at once and takes no model worker from anyone else. Only a
sentence synthesised to its end is kept: a stream cut short (barge-in) or failed is not.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from cachetools import LRUCache

from voice_io.protocols import TTS

DEFAULT_BYTES = 32 * 1024 * 1024
"""About 12 minutes of Piper's 22,050 Hz audio."""


class SentenceCache:
    """Implements `voice_io.protocols.TTS` over `inner`, with its sentences cached by text."""

    def __init__(self, inner: TTS, *, max_bytes: int = DEFAULT_BYTES) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self._cache: LRUCache[str, tuple[bytes, ...]] = LRUCache(max_bytes, getsizeof=_size)
        self.hits = 0
        self.misses = 0

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
        self.misses += 1
        made: list[bytes] = []
        async for chunk in self.inner.synthesize(text):
            made.append(chunk)
            yield chunk
        if made:
            with contextlib.suppress(ValueError):  # larger than the whole cache: not kept
                self._cache[key] = tuple(made)


def _size(chunks: tuple[bytes, ...]) -> int:
    return sum(len(c) for c in chunks) or 1
