"""End to end over a real WebSocket to a real server process running the embedded speech models."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
import websockets

from tests.fakes import READY
from tests.voice_agent.conftest import (
    Client,
    ServerProcess,
    connect,
    silence,
    speech,
    start_server,
)

pytestmark = pytest.mark.models

JFK_WORDS = re.compile(r"what your country can do for you")
"""The words after JFK's second 1 s pause ("ask not … what"): in a final transcript of their own or
with "ask not" ("asked not" on AVX-512 kernels) when the carry joined them."""


def normalise(text: str) -> str:
    return re.sub(r"[^a-z ]+", "", text.lower())


async def wait_for_final(client: Client, pattern: re.Pattern[str], timeout: float = 60.0) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for message in client.messages("transcript"):
            if message["final"] and pattern.search(normalise(message["text"])):
                return message
        await asyncio.sleep(0.1)
    finals = [m["text"] for m in client.messages("transcript") if m["final"]]
    raise AssertionError(f"no final transcript matching {pattern.pattern!r}: {finals}")


async def _spoken_jfk_turn(server: ServerProcess, *, answer_readiness: bool = False) -> Client:
    """JFK spoken after the greeting; with `answer_readiness`, after READY (typed) and question 1,
    so that JFK answers a question (the model remarks only on answers)."""
    ws = await connect(server)
    client = Client(ws)
    async with client:
        await client.send(
            type="session.start",
            workflow="interview",
            thread_id=None,
            sample_rate=16000,
            options={"role": "backend engineer"},
        )
        await client.wait_for("session.started")
        await client.wait_for("agent.audio_end", timeout=60)  # let the greeting finish
        if answer_readiness:
            await client.send(type="text", text=READY)
            ready = await client.wait_for("transcript", text=READY, final=True, timeout=60)
            start = await client.wait_for("agent.audio_start", turn_id=ready["turn_id"], timeout=120)
            await client.wait_for("agent.audio_end", utterance_id=start["utterance_id"], timeout=120)
        await client.stream(silence(0.5))
        await client.stream(speech())
        await client.stream(silence(1.5))
        # JFK pauses for a second twice: the agent may answer "And so, my fellow Americans" (and
        # "Ask not!") first; the words after a pause barge in and become (part of) a final
        # transcript of their own. Whether a pause splits the turn depends on how fast Whisper is:
        # speech that resumes while the turn is still being transcribed joins it
        final = await wait_for_final(client, JFK_WORDS)
        await client.wait_for("turn.metrics", turn_id=final["turn_id"], timeout=60)
        answer = next(m for m in client.messages("agent.audio_start") if m["turn_id"] == final["turn_id"])
        at = next(i for i in client.items if i[2] is answer)
        assert client.audio_frames_after(at) > 0
        if answer_readiness:  # the whole reply: the lead, the model's remark (it may be slow), the question
            await client.wait_for("agent.audio_end", utterance_id=answer["utterance_id"], timeout=300)
    await ws.close()
    return client


async def test_spoken_jfk_gets_final_transcript_then_agent_audio(rules_server: ServerProcess) -> None:
    client = await _spoken_jfk_turn(rules_server)
    started = client.messages("session.started")[0]
    assert started["output_sample_rate"] == 22050
    assert [m["event"] for m in client.messages("vad")][:2] == ["speech_start", "speech_end"]
    kinds = [m["type"] if t == "json" else "audio" for _, t, m in client.items]
    assert kinds[0] == "session.started"
    metrics = client.messages("turn.metrics")[0]
    assert metrics["response_ms"] is not None and metrics["response_ms"] > 0


async def test_embedded_llm_answers_a_spoken_turn(embedded_server: ServerProcess) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        before = (await http.get(f"{embedded_server.http_url}/healthz")).json()["engines"]["llm"]
    client = await _spoken_jfk_turn(embedded_server, answer_readiness=True)
    assert any(m["text"].strip() for m in client.messages("agent.text"))
    assert not [m for m in client.messages("error") if m["code"] == "llm_failed"]
    async with httpx.AsyncClient(timeout=5) as http:
        health = (await http.get(f"{embedded_server.http_url}/healthz")).json()
    llm = health["engines"]["llm"]
    assert health["status"] == "ok" and llm["provider"] == "embedded" and llm["process"]["state"] == "ready"
    assert llm["completions"] > before["completions"], llm  # the model itself answered, not a template
    sentences, earlier = llm["model_sentences"], before["model_sentences"]
    assert sentences["spoken"] + sentences["rejected"] > earlier["spoken"] + earlier["rejected"], llm
    assert llm["failures"] == 0, llm
    for engine in ("vad", "stt", "tts"):
        assert health["engines"][engine]["ok"], health["engines"][engine]
    assert "llm fallback" not in embedded_server.log.read_text()


async def test_barge_in_over_a_real_socket(rules_server: ServerProcess) -> None:
    async with await connect(rules_server) as ws, Client(ws) as client:
        await client.send(type="session.start", workflow="interview", thread_id=None, options={})
        started = await client.wait_for("session.started")
        start = await client.wait_for("agent.audio_start", timeout=60)
        await client.stream(silence(1.0))  # the user listens for a second...
        # ...then talks over the agent, with words that are no mere "mm-hm"
        await client.stream(speech("silero_test.wav")[int(9.3 * 16_000) : int(13.6 * 16_000)])
        interrupted = await client.wait_for("interrupted", utterance_id=start["utterance_id"], timeout=10)
        marker = next(i for i in client.items if i[2] is interrupted)
        late = [
            1
            for _, t, m in client.items[client.items.index(marker) + 1 :]
            if t == "json" and m["type"] == "agent.audio_start"
        ]
        # not one frame of the interrupted utterance after `interrupted` (frames of a new one may follow)
        frames_before_next = 0
        for _, t, m in client.items[client.items.index(marker) + 1 :]:
            if t == "json" and m["type"] == "agent.audio_start":
                break
            frames_before_next += t == "audio"
        assert frames_before_next == 0, late
        full = " ".join(
            m["text"] for m in client.messages("agent.text") if m["utterance_id"] == start["utterance_id"]
        )
        heard = interrupted["heard_text"]
        assert heard and len(heard) < len(full)
        await client.stream(silence(1.5))
        await client.wait_for("transcript", final=True, timeout=30)
    thread_id = started["thread_id"]
    # the history holds what was heard, not the whole greeting
    async with await connect(rules_server) as ws, Client(ws) as client:
        await client.send(type="session.start", workflow="interview", thread_id=thread_id)
        resumed = await client.wait_for("session.started")
        agent_lines = [h["text"] for h in resumed["history"] if h["role"] == "agent"]
        assert agent_lines[0].strip() == heard.strip()


async def test_bad_input_over_a_real_socket_keeps_the_session(rules_server: ServerProcess) -> None:
    async with await connect(rules_server) as ws, Client(ws) as client:
        await ws.send("{oops")
        assert (await client.wait_for("error"))["code"] == "bad_json"
        await ws.send(b"\x00\x01")
        await client.wait_for("error", code="bad_audio")
        await client.send(type="session.start", workflow="nope", thread_id=None)
        await client.wait_for("error", code="unknown_workflow")
        await client.send(type="session.start", workflow="interview", thread_id="not-a-thread")
        await client.wait_for("error", code="unknown_thread")
        await client.send(type="session.start", workflow="interview", thread_id=None)
        await client.wait_for("session.started")
        await ws.send(b"\x01" * 3)
        await client.wait_for("error", code="bad_audio")
        await client.send(type="text", text="I led a migration to Postgres that cut costs by 30 percent.")
        await client.wait_for("transcript", final=True)
        await client.wait_for("agent.text", timeout=30)


async def test_a_flood_of_bad_frames_is_closed_with_1008(rules_server: ServerProcess) -> None:
    async with await connect(rules_server) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            for _ in range(200):
                await ws.send("not json")
                await asyncio.sleep(0)
            async for _ in ws:
                pass
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_foreign_origin_is_refused(rules_server: ServerProcess) -> None:
    with pytest.raises(websockets.InvalidStatus):
        await connect(rules_server, origin="http://evil.example")
    async with await connect(rules_server, origin=f"http://localhost:{rules_server.port}") as ws:
        await ws.send(json.dumps({"type": "ping", "t": 1}))
        assert json.loads(await ws.recv())["type"] == "pong"


async def test_client_vanishing_mid_reply_loses_nothing(rules_server: ServerProcess) -> None:
    ws = await connect(rules_server)
    async with Client(ws) as client:
        await client.send(type="session.start", workflow="interview", thread_id=None)
        started = await client.wait_for("session.started")
        await client.wait_for("agent.audio_end", timeout=60)
        await client.send(type="text", text="I am a backend engineer with five years of experience.")
        await client.wait_for("agent.audio_start", timeout=60)
        await asyncio.sleep(0.5)
    ws.transport.abort()  # no close handshake: the client just vanishes
    await asyncio.sleep(1.0)
    async with await connect(rules_server) as ws2, Client(ws2) as client2:
        await client2.send(type="session.start", workflow="interview", thread_id=started["thread_id"])
        resumed = await client2.wait_for("session.started")
        texts = [h["text"] for h in resumed["history"]]
        assert "I am a backend engineer with five years of experience." in texts
        assert resumed["resumed"] is True


def test_token_is_required_when_configured(tmp_path) -> None:
    server = start_server(tmp_path, VOICE_AGENT_LLM="rules", VOICE_AGENT_TOKEN="s3cret")
    try:

        async def run() -> None:
            async with await connect(server) as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
            ws = await websockets.connect(server.ws_url + "?token=s3cret")
            await ws.send(json.dumps({"type": "ping", "t": 5}))
            assert json.loads(await ws.recv())["type"] == "pong"
            await ws.close()

        asyncio.run(run())
        assert httpx.get(f"{server.http_url}/api/sessions").status_code == 401
        ok = httpx.get(f"{server.http_url}/api/sessions", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
    finally:
        server.stop()


def test_unreachable_edge_tts_falls_back_to_piper_and_says_so(tmp_path) -> None:
    server = start_server(tmp_path, VOICE_AGENT_LLM="rules", VOICE_AGENT_TTS="edge")
    try:

        async def run() -> None:
            async with await connect(server) as ws, Client(ws) as client:
                await client.send(type="session.start", workflow="interview", thread_id=None)
                started = await client.wait_for("session.started")
                assert started["output_sample_rate"] == 24_000  # edge-tts's rate, kept after the fallback
                err = await client.wait_for("error", code="tts_failed", timeout=30)
                assert err["fatal"] is False
                start = await client.wait_for("agent.audio_start", timeout=30)
                await client.wait_for("agent.audio_end", utterance_id=start["utterance_id"], timeout=60)
                marker = next(i for i in client.items if i[2] is start)
                assert client.audio_frames_after(marker) > 0

        asyncio.run(run())
    finally:
        server.stop()
