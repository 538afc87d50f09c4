"""The sentence cache every session's TTS shares (`voice_io.tts.cache`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from tests.fakes import FakeTTS
from voice_io.errors import TTSError
from voice_io.tts import PiperTTS
from voice_io.tts.cache import SentenceCache


async def said(tts: SentenceCache, text: str) -> bytes:
    return b"".join([c async for c in tts.synthesize(text)])


async def test_a_repeated_sentence_is_not_synthesised_again() -> None:
    fake = FakeTTS()
    tts = SentenceCache(fake)
    first = await said(tts, "Thanks, let's move on.")
    again = await said(tts, "Thanks,  let's move on. ")  # the same words, other spacing
    assert again == first and len(first) > 0
    assert fake.spoken == ["Thanks, let's move on."]
    assert (tts.hits, tts.misses) == (1, 1)
    await said(tts, "Here is the last question.")
    assert len(fake.spoken) == 2
    assert (tts.name, tts.sample_rate) == (fake.name, fake.sample_rate)


class GatedTTS:
    """One chunk per word, each only when the test lets it through (`step`)."""

    name = "gated"
    sample_rate = 16000

    def __init__(self) -> None:
        self.spoken: list[str] = []
        self.finished: list[str] = []
        self.stopped: list[str] = []
        self._gate = asyncio.Semaphore(0)

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self._gate.release()

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        self.spoken.append(text)
        try:
            for word in text.split():
                await self._gate.acquire()
                yield word.encode() + b" "
        except asyncio.CancelledError:
            self.stopped.append(text)
            raise
        self.finished.append(text)


async def until(cond: Callable[[], bool]) -> None:
    for _ in range(200):
        if cond():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never met")


async def test_a_stream_cut_short_or_failed_is_not_kept() -> None:
    gated = GatedTTS()
    tts = SentenceCache(gated)
    stream = tts.synthesize("Tell me about a hard bug.")
    gated.step()
    assert await anext(stream) == b"Tell "
    await stream.aclose()  # barge-in: the reply's task stops reading, its synthesis stops
    await until(lambda: gated.stopped == ["Tell me about a hard bug."])
    again = asyncio.create_task(said(tts, "Tell me about a hard bug."))
    gated.step(6)
    assert await again == b"Tell me about a hard bug. "
    assert gated.spoken == ["Tell me about a hard bug."] * 2 and tts.hits == 0

    broken = SentenceCache(FakeTTS(fail=True))
    with pytest.raises(TTSError):
        await said(broken, "Hello.")
    assert broken.hits == 0


async def test_a_sentence_being_synthesised_is_shared_not_made_twice() -> None:
    gated = GatedTTS()
    tts = SentenceCache(gated)
    first = asyncio.create_task(said(tts, "Are you ready for the first question?"))
    gated.step(2)
    await until(lambda: bool(tts.misses))
    second = asyncio.create_task(said(tts, "Are you ready for the first question?"))
    await until(lambda: tts.shared == 1)
    gated.step(5)
    assert await first == await second == b"Are you ready for the first question? "
    assert gated.spoken == ["Are you ready for the first question?"]
    assert (tts.hits, tts.misses, tts.shared) == (0, 1, 1)
    assert await said(tts, "Are you ready for the first question?") == await first  # and kept
    assert tts.hits == 1


async def test_a_shared_synthesis_goes_on_while_anyone_listens() -> None:
    """A barge-in on the session that started a sentence does not cut it off for another session
    saying it; once no one listens any more, it stops and is not kept."""
    gated = GatedTTS()
    tts = SentenceCache(gated)
    leader = tts.synthesize("Thanks, let's move on.")
    gated.step()
    assert await anext(leader) == b"Thanks, "
    follower = asyncio.create_task(said(tts, "Thanks, let's move on."))
    await until(lambda: tts.shared == 1)
    await leader.aclose()
    gated.step(3)
    assert await follower == b"Thanks, let's move on. "
    assert gated.stopped == [] and gated.finished == ["Thanks, let's move on."]

    one = tts.synthesize("Tell me more.")
    two = tts.synthesize("Tell me more.")
    gated.step()
    assert await anext(one) == await anext(two) == b"Tell "
    await one.aclose()
    await two.aclose()
    await until(lambda: gated.stopped == ["Tell me more."])
    assert tts.size_bytes == len(b"Thanks, let's move on. ")


async def test_a_failure_reaches_every_listener() -> None:
    class Failing(GatedTTS):
        async def synthesize(self, text: str) -> AsyncIterator[bytes]:
            await self._gate.acquire()
            yield b"Half "
            await self._gate.acquire()
            raise TTSError("piper crashed")

    failing = Failing()
    tts = SentenceCache(failing)
    listeners = [asyncio.create_task(said(tts, "Half a sentence.")) for _ in range(2)]
    await until(lambda: tts.shared == 1)
    failing.step(2)
    for listener in listeners:
        with pytest.raises(TTSError, match="piper crashed"):
            await listener
    assert tts.size_bytes == 0


async def test_the_least_recently_used_sentence_goes_when_full() -> None:
    fake = FakeTTS(seconds_per_word=0.1)  # 1 word: 1,600 samples, 3,200 bytes
    tts = SentenceCache(fake, max_bytes=7000)
    for text in ("one", "two", "one", "three"):  # "three" pushes out "two", the least recent
        await said(tts, text)
    await said(tts, "one")
    await said(tts, "two")
    assert fake.spoken == ["one", "two", "three", "two"]
    huge = " ".join(["word"] * 10)  # larger than the whole cache: spoken, never kept
    await said(tts, huge)
    await said(tts, huge)
    assert fake.spoken.count(huge) == 2


@pytest.mark.models
async def test_piper_speaks_a_cached_sentence_identically() -> None:
    piper = SentenceCache(PiperTTS.load())
    first = await said(piper, "Thanks, one follow-up.")
    assert len(first) > piper.sample_rate  # over half a second of 16-bit audio
    assert await said(piper, "Thanks, one follow-up.") == first
    assert (piper.hits, piper.misses) == (1, 1)
