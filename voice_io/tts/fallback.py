"""A TTS that switches, once and for good, to a fallback engine when the primary fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from voice_io.audio import StreamResampler, float32_to_pcm16
from voice_io.errors import TTSError
from voice_io.protocols import TTS

logger = logging.getLogger(__name__)


@asynccontextmanager
async def _closing(stream: AsyncIterator[bytes]) -> AsyncIterator[AsyncIterator[bytes]]:
    """Like `contextlib.aclosing` for any async iterator (closes it if it can be closed)."""
    try:
        yield stream
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()


class FallbackTTS:
    """Implements `voice_io.protocols.TTS` at the primary's `sample_rate`.

    When the primary raises `TTSError` before yielding any audio of a chunk, `on_fallback(error)` is
    called once, the fallback speaks that chunk and every later one, and its audio is resampled to
    `sample_rate`. A failure after audio has started, or a failure of the fallback, propagates.
    """

    def __init__(
        self,
        primary: TTS,
        fallback: TTS,
        on_fallback: Callable[[TTSError], None] | None = None,
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.sample_rate = primary.sample_rate
        self.name = primary.name
        self._on_fallback = on_fallback
        self.fell_back = False

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        if not self.fell_back:
            started = False
            async with _closing(self.primary.synthesize(text)) as stream:
                chunks = aiter(stream)
                while True:
                    try:
                        pcm = await anext(chunks)
                    except StopAsyncIteration:
                        return
                    except TTSError as exc:
                        if started:
                            raise
                        self._switch(exc)
                        break
                    started = True
                    yield pcm
        async for pcm in self._from_fallback(text):
            yield pcm

    def _switch(self, error: TTSError) -> None:
        if self.fell_back:
            return
        self.fell_back = True
        self.name = self.fallback.name
        logger.warning(
            "TTS %s failed (%s); using %s from now on", self.primary.name, error, self.fallback.name
        )
        if self._on_fallback is not None:
            try:
                self._on_fallback(error)
            except Exception:
                logger.exception("on_fallback callback failed")

    async def _from_fallback(self, text: str) -> AsyncIterator[bytes]:
        resampler = StreamResampler(self.fallback.sample_rate, self.sample_rate)
        async with _closing(self.fallback.synthesize(text)) as stream:
            async for pcm in stream:
                if resampler.passthrough:
                    yield pcm
                    continue
                out = resampler.process_pcm16(pcm)
                if out.size:
                    yield float32_to_pcm16(out)
        tail = resampler.flush()
        if tail.size:
            yield float32_to_pcm16(tail)
