"""The sentence cache every session's TTS shares (`voice_io.tts.cache`)."""

from __future__ import annotations

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


async def test_a_stream_cut_short_or_failed_is_not_kept() -> None:
    fake = FakeTTS()
    tts = SentenceCache(fake)
    stream = tts.synthesize("Tell me about a hard bug.")
    await anext(stream)
    await stream.aclose()  # barge-in: the reply's task stops reading
    await said(tts, "Tell me about a hard bug.")
    assert fake.spoken == ["Tell me about a hard bug."] * 2

    broken = SentenceCache(FakeTTS(fail=True))
    with pytest.raises(TTSError):
        await said(broken, "Hello.")
    assert broken.hits == 0


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
