"""The composition root builds the configured voice for each session."""

from __future__ import annotations

import pytest

from tests.fakes import EnergyVAD, FakeSTT
from voice_agent.engines import Engines
from voice_agent.settings import Settings
from voice_io.tts import EdgeTTS, FallbackTTS, PiperTTS


@pytest.mark.models
def test_each_session_gets_the_configured_voice() -> None:
    piper = PiperTTS.load(1.2)
    engines = Engines(vad=EnergyVAD(), stt=FakeSTT(), piper=piper, settings=Settings(tts="piper"))
    assert engines.tts_for_session() is piper and piper.sample_rate == 22050
    edge_settings = Settings(tts="edge", tts_voice="en-US-GuyNeural", tts_speed=1.2)
    engines = Engines(vad=EnergyVAD(), stt=FakeSTT(), piper=piper, settings=edge_settings)
    first, second = engines.tts_for_session(), engines.tts_for_session()
    assert isinstance(first, FallbackTTS) and first is not second  # the fallback is per session
    assert first.sample_rate == 24000 and first.name == "edge:en-US-GuyNeural"
    assert isinstance(first.primary, EdgeTTS) and first.primary.rate == "+20%"
    assert first.fallback is piper
