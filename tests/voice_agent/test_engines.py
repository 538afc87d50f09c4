"""The composition root builds the configured voice for each session."""

from __future__ import annotations

import pytest

from tests.fakes import EnergyVAD, FakeSTT
from voice_agent.engines import Engines
from voice_agent.settings import Settings
from voice_io.tts import EdgeTTS, FallbackTTS, PiperTTS
from voice_io.tts.cache import SentenceCache


@pytest.mark.models
def test_each_session_gets_the_configured_voice() -> None:
    piper = PiperTTS.load(1.2)
    engines = Engines(vad=EnergyVAD(), stt=FakeSTT(), piper=piper, settings=Settings(tts="piper"))
    voice = engines.tts_for_session()
    assert voice is engines.tts_for_session()  # one shared Piper, behind the shared sentence cache
    assert isinstance(voice, SentenceCache) and voice.inner is piper and voice.sample_rate == 22050
    edge_settings = Settings(tts="edge", tts_voice="en-US-GuyNeural", tts_speed=1.2)
    engines = Engines(vad=EnergyVAD(), stt=FakeSTT(), piper=piper, settings=edge_settings)
    first, second = engines.tts_for_session(), engines.tts_for_session()
    assert isinstance(first, FallbackTTS) and first is not second  # the fallback is per session
    assert first.sample_rate == 24000 and first.name == "edge:en-US-GuyNeural"
    assert isinstance(first.primary, EdgeTTS) and first.primary.rate == "+20%"
    assert isinstance(first.fallback, SentenceCache) and first.fallback.inner is piper
