"""The page over WebRTC in real headless Chromium: a WAV file is the microphone (sent as Opus),
the agent's voice comes back on the answer's track, events ride the data channel. ICE runs on this
machine's host candidates, with no STUN/TURN server."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from websockets.sync.client import connect

from tests.frontend.conftest import JFK, RATE, decode_16k_mono, write_wav
from tests.frontend.test_browser import normalized, open_page

pytestmark = pytest.mark.browser

Server = Any


def max_agent_level(page: Any, seconds: float) -> float:
    """Sample the level of the agent's voice as the page plays it, every 20 ms for `seconds`."""
    return float(
        page.page.evaluate(
            """async (ms) => {
                 let peak = 0;
                 const until = performance.now() + ms;
                 while (performance.now() < until) {
                   peak = Math.max(peak, window.voiceAgent.agentLevel());
                   await new Promise((r) => setTimeout(r, 20));
                 }
                 return peak;
               }""",
            seconds * 1000,
        )
    )


def wait_heard(page: Any, timeout_s: float = 30) -> None:
    """Until the page plays the agent's voice (level above 0.01) from the WebRTC track."""
    deadline = time.monotonic() + timeout_s
    while max_agent_level(page, 0.5) <= 0.01:
        assert time.monotonic() < deadline, "no agent audio was played"


def test_webrtc_call_transcribes_plays_flushes_on_barge_in_and_survives_the_peer_leaving(
    server: Server, tmp_path: Path, browser_factory: Any, artifacts: Path
) -> None:
    # 4 s of silence first, so JFK's sentence starts while the greeting is playing (a barge-in)
    speech = decode_16k_mono(JFK)
    silence = np.zeros(RATE, dtype=np.int16)
    wav = write_wav(tmp_path / "mic.wav", np.concatenate([silence] * 4 + [speech] + [silence] * 3))
    page = open_page(browser_factory(wav), server, "?raw=1&transport=webrtc")
    assert page.page.input_value("#transport") == "webrtc"
    page.start("interview")
    assert page.page.evaluate("window.voiceAgent.session.transport") == "webrtc"
    assert page.sent == []  # no WebSocket at all: events ride the data channel
    thread_id = page.page.evaluate("window.voiceAgent.session.threadId")

    # The greeting is played from the WebRTC track.
    page.wait_js("document.querySelectorAll('#log .msg.agent .utt').length > 0", 30)
    wait_heard(page)
    assert page.page.evaluate("window.voiceAgent.conn.audioEnergy()") > 0  # inbound-rtp: it really played

    # JFK talks over it: the server flushes its outgoing track, the page goes quiet at once
    page.wait_js("window.voiceAgent.stats.interruptions > 0", 30)
    time.sleep(0.8)  # the browser's jitter buffer holds a few tens of ms
    assert max_agent_level(page, 1.0) < 0.003
    page.page.screenshot(path=str(artifacts / "webrtc-barge-in.png"), full_page=True)

    # The transcript shows the sentence, and the agent's answer is played.
    try:
        page.wait_js(
            """[...document.querySelectorAll('#log .msg.user:not(.partial) .text')]
                 .some(e => /your\\W+country/i.test(e.textContent))""",
            120,
        )
    except Exception as exc:
        raise AssertionError(f"{page.page.inner_text('#log')}\n{server.log_tail(6000)}") from exc
    wait_heard(page)
    page.page.screenshot(path=str(artifacts / "webrtc.png"), full_page=True)
    assert not [e for e in page.errors if "webrtc" in e.lower()], page.errors

    # The peer disappears: the server ends the session cleanly and keeps its checkpoint.
    page.page.close()
    time.sleep(2.0)
    stored = server.get_json(f"api/sessions/{thread_id}")
    users = " ".join(t["text"] for t in stored["turns"] if t["role"] == "user")
    assert "country" in normalized(users), stored["turns"]
    with connect(f"ws://127.0.0.1:{server.port}/ws") as ws:
        ws.send(json.dumps({"type": "session.start", "workflow": "interview", "thread_id": thread_id}))
        started = next(m for m in (ws.recv(timeout=30) for _ in range(20)) if "session.started" in str(m))
    assert '"resumed":true' in str(started).replace(" ", "")
    assert "Traceback" not in server.log_tail(20_000), server.log_tail()
