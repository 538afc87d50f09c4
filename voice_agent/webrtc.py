"""`POST /webrtc/offer`: the browser's SDP offer in, aiortc's answer out, one `VoiceSession` per peer.

The offer must carry one audio track (the microphone, Opus) and a data channel (the socket
protocol's JSON events); the answer carries the agent's voice track. ICE candidates are gathered
before answering (no trickle): host candidates work on one machine or a LAN with no server at all;
`VOICE_AGENT_ICE_SERVERS` (+ `_ICE_USERNAME` / `_ICE_CREDENTIAL`) adds STUN/TURN for real networks.
A bad offer gets 400 with the reason; a peer that disappears ends its session cleanly (the
conversation's checkpoint stays, resumable by thread id).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from voice_agent.api import error
from voice_agent.auth import authenticate
from voice_agent.settings import Settings
from voice_io.transports.webrtc import WebRTCTransport

log = logging.getLogger(__name__)
logging.getLogger("aioice").setLevel(logging.WARNING)  # one INFO line per ICE candidate pair check

MAX_SDP_CHARS = 64 * 1024


class Offer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["offer"]
    sdp: str = Field(min_length=1, max_length=MAX_SDP_CHARS)


def ice_servers(settings: Settings) -> list[RTCIceServer]:
    """From settings only: never aiortc's default public STUN server (offline by default)."""
    credential = settings.ice_credential.get_secret_value() if settings.ice_credential else None
    servers = []
    for url in settings.ice_servers:
        turn = url.startswith(("turn:", "turns:"))
        servers.append(
            RTCIceServer(
                urls=url,
                username=settings.ice_username if turn else None,
                credential=credential if turn else None,
            )
        )
    return servers


async def config(request: Request) -> Response:
    """The ICE servers for the page's RTCPeerConnection (the same STUN/TURN the server uses)."""
    settings: Settings = request.app.state.settings
    if authenticate(_token(request), settings) is None:
        return error(401, "unauthorized", "a valid token is required (?token= or Authorization: Bearer)")
    servers = [
        {k: v for k, v in {"urls": s.urls, "username": s.username, "credential": s.credential}.items() if v}
        for s in ice_servers(settings)
    ]
    return JSONResponse({"iceServers": servers})


def _token(request: Request) -> str | None:
    bearer = request.headers.get("authorization", "")
    return request.query_params.get("token") or (bearer.removeprefix("Bearer ") if bearer else None)


def _peers(app: Starlette) -> set[RTCPeerConnection]:
    if not hasattr(app.state, "webrtc_peers"):
        app.state.webrtc_peers = set()
    peers: set[RTCPeerConnection] = app.state.webrtc_peers
    return peers


async def offer(request: Request) -> Response:
    state = request.app.state
    settings: Settings = state.settings
    caller = authenticate(_token(request), settings)
    if caller is None:
        return error(401, "unauthorized", "a valid token is required (?token= or Authorization: Bearer)")
    try:
        body = Offer.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return error(400, "bad_sdp", f"the offer is not {{type: 'offer', sdp}}: {where}: {first['msg']}")
    if "m=audio" not in body.sdp:
        return error(400, "bad_sdp", "the offer has no audio section (m=audio): add the microphone track")
    if "m=application" not in body.sdp:
        return error(400, "bad_sdp", "the offer has no data channel (m=application) for the events")
    pc = RTCPeerConnection(RTCConfiguration(iceServers=ice_servers(settings)))
    transport = WebRTCTransport(close_peer=pc.close)

    @pc.on("datachannel")
    def on_datachannel(channel: Any) -> None:
        transport.attach_channel(channel)

    @pc.on("track")
    def on_track(track: Any) -> None:
        if track.kind == "audio":
            transport.attach_mic(track)

    @pc.on("connectionstatechange")
    async def on_state() -> None:
        log.info("webrtc peer %s: %s", id(pc), pc.connectionState)
        if pc.connectionState in ("failed", "closed"):
            transport.end()

    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=body.sdp, type="offer"))
        pc.addTrack(transport.track)
        answer = await pc.createAnswer()
        await pc.setLocalDescription(answer)
    except Exception as exc:  # aiortc raises ValueError and friends for SDP it cannot use
        await pc.close()
        log.info("bad SDP offer: %s", exc)
        return error(400, "bad_sdp", f"the SDP offer cannot be used: {exc or type(exc).__name__}")
    peers = _peers(request.app)
    peers.add(pc)
    task = asyncio.create_task(_serve(state, transport, caller.owner), name=f"webrtc-{id(pc)}")
    task.add_done_callback(lambda _: peers.discard(pc))
    state.webrtc_tasks = getattr(state, "webrtc_tasks", set()) | {task}
    task.add_done_callback(state.webrtc_tasks.discard)
    local = pc.localDescription
    return JSONResponse({"type": local.type, "sdp": local.sdp})


async def _serve(state: Any, transport: WebRTCTransport, owner: str | None) -> None:
    from voice_agent.ws import voice_session

    session = voice_session(state, transport, owner=owner)
    try:
        await session.run()
    except Exception:
        log.exception("webrtc session failed")
    finally:
        await transport.close(1000, "")


async def close_all(app: Starlette) -> None:
    """At shutdown: hang up every peer (their sessions end and keep their checkpoints)."""
    for pc in list(_peers(app)):
        await pc.close()
    tasks = list(getattr(app.state, "webrtc_tasks", ()))
    if tasks:
        await asyncio.wait(tasks, timeout=5)


def routes() -> list[BaseRoute]:
    return [Route("/webrtc/offer", offer, methods=["POST"]), Route("/webrtc/config", config)]
