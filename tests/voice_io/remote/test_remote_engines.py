"""Remote STT and TTS over the OpenAI-compatible audio API, against a real server backed by the
embedded engines: the words come back, the voice is not silent, a dead server fails fast and a
session's TTS falls back to Piper."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.voice_io.helpers import assert_heard
from tests.voice_io.remote.speech_server import PCM_RATE, SpeechServer, rms, running_speech_server
from voice_agent.child_process import free_port
from voice_io.errors import STTError, TTSError
from voice_io.protocols import Float32Array
from voice_io.remote import OpenAIAPISTT, OpenAIAPITTS
from voice_io.tts.fallback import FallbackTTS
from voice_io.tts.piper_tts import PiperTTS

pytestmark = [pytest.mark.models]


@pytest.fixture(scope="module")
def speech_server() -> Iterator[SpeechServer]:
    with running_speech_server() as server:
        yield server


async def test_remote_stt_hears_real_speech_with_word_times(
    speech_server: SpeechServer, jfk: Float32Array
) -> None:
    stt = OpenAIAPISTT(speech_server.url, model="tiny.en")
    result = await stt.transcribe(jfk, word_timestamps=True)
    await stt.aclose()
    assert_heard(result.text)
    assert result.audio_s == pytest.approx(11.0, abs=0.01)
    assert len(result.words) >= 15 and result.words[-1].end > 9.0


async def test_remote_tts_streams_audible_pcm_in_several_chunks(speech_server: SpeechServer) -> None:
    tts = OpenAIAPITTS(speech_server.url, voice="joe")
    chunks = [c async for c in tts.synthesize("Tell me about a project you are proud of. Take your time.")]
    await tts.aclose()
    pcm = b"".join(chunks)
    assert tts.sample_rate == PCM_RATE
    assert len(chunks) >= 2 and all(len(c) % 2 == 0 for c in chunks)
    assert 2.0 < len(pcm) / 2 / PCM_RATE < 8.0  # seconds of speech
    assert rms(pcm) > 0.02


async def test_a_dead_remote_server_fails_fast() -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"
    stt = OpenAIAPISTT(dead, timeout_s=2)
    started = time.monotonic()
    with pytest.raises(STTError, match="openai-api"):
        await stt.transcribe(__import__("numpy").zeros(16_000, dtype="float32"))
    assert time.monotonic() - started < 5
    await stt.aclose()


async def test_a_dead_remote_tts_falls_back_to_piper_for_the_session() -> None:
    failures: list[TTSError] = []
    remote = OpenAIAPITTS(f"http://127.0.0.1:{free_port()}/v1", timeout_s=2)
    tts = FallbackTTS(remote, PiperTTS.load(), failures.append)
    pcm = b"".join([c async for c in tts.synthesize("Hello there, how are you today?")])
    assert len(failures) == 1 and tts.fell_back
    assert rms(pcm) > 0.02 and tts.sample_rate == PCM_RATE
    await remote.aclose()
