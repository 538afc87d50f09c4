"""A light voice worker: the app with STT and TTS on a remote OpenAI-compatible speech server
(here one backed by the embedded engines), answering a real spoken turn over the real socket."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.voice_agent.conftest import start_server
from tests.voice_agent.test_ws_e2e import _spoken_jfk_turn
from tests.voice_io.remote.speech_server import PCM_RATE, running_speech_server

pytestmark = [pytest.mark.models]


async def test_spoken_turn_through_remote_stt_and_tts(tmp_path: Path) -> None:
    with running_speech_server() as speech:
        server = start_server(
            tmp_path,
            VOICE_AGENT_LLM="rules",
            VOICE_AGENT_STT="openai-api",
            VOICE_AGENT_STT_BASE_URL=speech.url,
            VOICE_AGENT_TTS="openai-api",
            VOICE_AGENT_TTS_BASE_URL=speech.url,
            VOICE_AGENT_REMOTE_TIMEOUT_S="120",  # one busy 2-core box runs both sides here
        )
        try:
            client = await _spoken_jfk_turn(server)
            async with httpx.AsyncClient(timeout=5) as http:
                health = (await http.get(f"{server.http_url}/healthz")).json()
        finally:
            server.stop()
    assert client.messages("session.started")[0]["output_sample_rate"] == PCM_RATE
    assert not [m for m in client.messages("error") if m["code"] in ("stt_failed", "tts_failed")]
    assert speech.requests.count("transcriptions") >= 1 and speech.requests.count("speech") >= 2
    assert health["engines"]["stt"]["ok"] and health["engines"]["tts"]["ok"], health["engines"]
    assert "openai-api" in health["engines"]["tts"]["detail"]
