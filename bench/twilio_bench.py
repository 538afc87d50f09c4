"""Voice-to-voice over the Twilio path: µ-law 8 kHz in, µ-law 8 kHz out, through the real
`/telephony/twilio/voice` webhook and `/telephony/twilio/stream`, with the test peer playing Twilio.

Per turn: the peer streams a clip in real time (20 ms µ-law media, silence between turns, as Twilio
does) and measures the end of the clip's last frame → the first agent `media` frame after it.
The agent sends media only while it speaks, so that frame is the answer's first audio.
On the phone there is no typed turn, so the first clip is the answer to the interview's readiness
question ("are you ready for the first question?"): taken as ready (an answer-like turn, not scored),
it is answered with question 1 and measured like every other turn.
"""

from __future__ import annotations

import time
from typing import Any

from bench.stats import percentile


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"p50": None, "p95": None, "n": 0}
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


async def converse_twilio(http_url: str, clips: list[Any], turns: int) -> dict[str, Any]:
    import xml.etree.ElementTree as ET

    import httpx
    import websockets

    from bench.twilio_peer import TwilioPeer, sid

    call_sid = sid("CA")
    async with httpx.AsyncClient(base_url=http_url, timeout=10) as client:
        response = await client.post(
            "/telephony/twilio/voice",
            params={"workflow": "interview", "role": "backend engineer", "questions": "10"},
            data={"CallSid": call_sid, "From": "+15550100000"},
        )
    response.raise_for_status()
    stream = ET.fromstring(response.text).find("./Connect/Stream")
    assert stream is not None, response.text
    params = {p.attrib["name"]: p.attrib["value"] for p in stream.findall("Parameter")}
    ws_url = http_url.replace("http://", "ws://") + "/telephony/twilio/stream"
    v2v: list[float] = []
    missed = 0
    async with websockets.connect(ws_url, max_size=None) as ws:
        peer = TwilioPeer(ws, parameters=params, call_sid=call_sid)
        async with peer:
            await peer.start()
            await peer.wait_for("media", timeout=120)
            await peer.until_quiet(1.5)
            for i in range(turns):
                end = await peer.say(clips[i % len(clips)])
                try:
                    first = await peer.wait_for("media", after=end, timeout=30)
                except AssertionError:
                    missed += 1
                    continue
                if any(end - 0.1 < r.t <= end for r in peer.events("media")):
                    missed += 1  # the agent was already talking as the clip ended: no clean turn
                    await peer.until_quiet(1.5)
                    continue
                v2v.append((first.t - end) * 1000)
                await peer.until_quiet(1.5)
            await peer.stop()
        invalid = len(peer.invalid)
    return {
        "turns": turns,
        "turns_without_answer": missed,
        "voice_to_voice_ms": _summary(v2v),
        "invalid_frames": invalid,
        "marks_echoed": len(peer.echoed),
        "at": time.strftime("%Y-%m-%d %H:%M"),
    }
