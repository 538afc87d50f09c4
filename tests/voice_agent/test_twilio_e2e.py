"""A phone call end to end: the TwiML webhook, then a Twilio Media Streams peer (bench/twilio_peer.py,
written from Twilio's documentation) against a real server process with the real speech models,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from bench.twilio_peer import TwilioPeer, rms
from tests.storage.conftest import postgres_url  # noqa: F401 - a fresh PostgreSQL database per test
from tests.voice_agent.conftest import ServerProcess, speech, start_server

pytestmark = pytest.mark.models

CALLER = "+15551234567"
LOUD = 0.01  # RMS of µ-law speech (silence decodes to ~0)


def webhook(server: ServerProcess, call_sid: str, **query: str) -> tuple[str, dict[str, str]]:
    response = httpx.post(
        f"{server.http_url}/telephony/twilio/voice",
        params=query,
        data={"CallSid": call_sid, "From": CALLER, "To": "+15550000000", "AccountSid": "AC1"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    stream = root.find("./Connect/Stream")
    assert root.tag == "Response" and stream is not None
    params = {p.attrib["name"]: p.attrib["value"] for p in stream.findall("Parameter")}
    return stream.attrib["url"], params


def stream_url(server: ServerProcess) -> str:
    return f"ws://127.0.0.1:{server.port}/telephony/twilio/stream"


def utterance_of(mark: dict[str, Any]) -> str:
    return str(mark["mark"]["name"]).split(":")[0]


async def phone_call(server: ServerProcess) -> dict[str, Any]:
    call_sid = "CA" + "1" * 32
    url, peer_params = webhook(server, call_sid, workflow="intake")
    assert url == f"wss://127.0.0.1:{server.port}/telephony/twilio/stream"
    assert peer_params["workflow"] == "intake"
    assert peer_params["caller"] and CALLER not in peer_params["caller"]
    async with websockets.connect(stream_url(server), max_size=None) as ws:
        peer = TwilioPeer(ws, parameters=peer_params, call_sid=call_sid)
        async with peer:
            # bad input before and after start: logged and counted, the call goes on
            await ws.send("{this is not json")
            await peer.media(b"\xff" * 160)  # media before start
            await peer.start()
            bad_media = {"track": "inbound", "chunk": "1", "timestamp": "1", "payload": "@@@"}
            await peer.send({"event": "media", "streamSid": peer.stream_sid, "media": bad_media})
            # the greeting arrives as 20 ms µ-law frames; let about a second of it play
            first = await peer.wait_for("media", timeout=60)
            greeting = utterance_of((await peer.wait_for("mark", after=first.t, timeout=30)).message)
            await asyncio.sleep(1.2)
            # barge in with real speech, in real time
            barge_at = time.monotonic()
            barge = speech("silero_test.wav")[int(9.3 * 16_000) : int(13.6 * 16_000)]
            spoken = peer.say(barge)
            clear = await peer.wait_for("clear", after=barge_at, timeout=20)
            await spoken
            late = [m for m in peer.events("mark") if m.t > clear.t and utterance_of(m.message) == greeting]
            assert not late, "marks of the cleared utterance after clear"
            # the barge-in speech is answered in µ-law
            answer = await peer.wait_for("media", after=clear.t, timeout=60)
            await peer.until_quiet(1.5)
            assert rms(peer.audio_after(answer.t - 0.01)) > LOUD
            # a clean spoken turn gets its answer too
            said_at = await peer.stream(speech("jfk.flac"))
            reply = await peer.wait_for("media", after=said_at, timeout=60)
            await peer.until_quiet(1.5)
            assert rms(peer.audio_after(reply.t - 0.01)) > LOUD
            # keypad digits are the caller's next turn
            for digit in "12#":
                await peer.dtmf(digit)
            await peer.wait_for("media", after=time.monotonic(), timeout=60)
            await peer.until_quiet(1.0)
            await peer.stop()
            await asyncio.wait_for(peer.closed.wait(), timeout=20)
        assert peer.invalid == [], peer.invalid[:5]
        assert peer.echoed, "no mark was ever honoured"
    return {"peer": peer, "params": peer_params, "greeting": greeting}


def stored_call(server: ServerProcess, call_sid: str) -> dict[str, Any]:
    sessions = httpx.get(f"{server.http_url}/api/sessions", timeout=10).json()["sessions"]
    for session in sessions:
        if (session["options"].get("call") or {}).get("call_sid") == call_sid:
            return dict(
                httpx.get(f"{server.http_url}/api/sessions/{session['thread_id']}", timeout=10).json()
            )
    raise AssertionError(f"no session saved for call {call_sid}: {sessions}")


async def check_call(server: ServerProcess) -> None:
    result = await phone_call(server)
    peer: TwilioPeer = result["peer"]
    deadline = time.monotonic() + 20
    while True:  # writes land off the latency path
        export = stored_call(server, peer.call_sid)
        turns = export["turns"]
        if any(t["role"] == "user" and "12" in t["text"] for t in turns) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    call = export["session"]["options"]["call"]
    assert call == {
        "provider": "twilio",
        "call_sid": peer.call_sid,
        "stream_sid": peer.stream_sid,
        "caller_hash": result["params"]["caller"],
    }
    assert CALLER not in str(export)
    greeting = next(t for t in turns if t["role"] == "agent")
    assert greeting["interrupted"], greeting
    heard = greeting["heard_text"] or ""
    timeline = [
        (round(r.t - peer.received[0].t, 2), r.event, r.message.get("mark"))
        for r in peer.received
        if r.event != "media"
    ]
    assert heard and len(heard) < len(greeting["text"]), (greeting, timeline[:20], peer.echoed[:10])
    assert greeting["text"].split()[0] == heard.split()[0]
    users = [t["text"] for t in turns if t["role"] == "user"]
    assert any("12" in text for text in users), users  # the keypad reached the graph
    assert any("country" in text.lower() for text in users), users


async def test_a_phone_call_over_twilio_media_streams(rules_server: ServerProcess) -> None:
    await check_call(rules_server)


@pytest.mark.postgres
async def test_a_phone_call_against_a_postgresql_backed_server(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    server = start_server(tmp_path / "pg", VOICE_AGENT_LLM="rules", VOICE_AGENT_DATABASE_URL=postgres_url)
    try:
        await check_call(server)
    finally:
        server.stop()


async def test_an_unknown_stream_sid_closes_the_stream(rules_server: ServerProcess) -> None:
    _, params = webhook(rules_server, "CA" + "2" * 32)
    async with websockets.connect(stream_url(rules_server)) as ws:
        peer = TwilioPeer(ws, parameters=params)
        async with peer:
            await peer.start(line=False)
            await peer.wait_for("media", timeout=60)  # the call is up
            await peer.media(b"\xff" * 160, stream_sid="MZ" + "9" * 32)
            await asyncio.wait_for(peer.closed.wait(), timeout=10)
    assert ws.close_code == 1008
