"""The `/ws` endpoint: origin and token checks, then one `VoiceSession` per connection, running on
`BrowserSocket`, the browser WebSocket protocol's transport. The caller's token decides whose
threads the connection may resume (`voice_agent.live.OwnedResponder`); a `SessionGuard` stops the
connection when its session is deleted."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from voice_agent.auth import authenticate
from voice_agent.live import OwnedResponder, SessionGuard
from voice_agent.settings import Settings
from voice_io import wire
from voice_io.errors import ClientError
from voice_io.protocols import Responder
from voice_io.session import SessionConfig, VoiceSession
from voice_io.transport import Inbound, Transport

log = logging.getLogger(__name__)

_PLAYED_KEPT = 16
"""Playback reports kept (the latest utterances'; older ones can no longer be interrupted)."""
_LOCAL_ORIGIN = re.compile(r"^http://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$")


def origin_allowed(origin: str | None, *, host: str | None, extra: list[str]) -> bool:
    """Browsers always send Origin; other clients (CLI, bench) send none and are allowed."""
    if origin is None:
        return True
    origin = origin.rstrip("/")
    if _LOCAL_ORIGIN.match(origin) or origin in extra:
        return True
    return host is not None and origin in (f"http://{host}", f"https://{host}")


class BrowserSocket:
    """The browser WebSocket protocol (docs/protocol.md) as a `voice_io.transport.Transport`.

    Text frames are parsed into protocol messages, binary frames are caller audio.
    """

    def __init__(self, websocket: WebSocket) -> None:
        self._ws = websocket
        self._lock = asyncio.Lock()
        self._played: dict[str, float] = {}

    async def receive(self) -> AsyncIterator[Inbound]:
        while True:
            try:
                message = await self._ws.receive()
            except (WebSocketDisconnect, RuntimeError, OSError):
                return
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                try:
                    parsed = wire.parse_text(message["text"])
                except ClientError as exc:
                    yield exc
                    continue
                if isinstance(parsed, wire.Playback):
                    self._played[parsed.utterance_id] = parsed.played_ms / 1000
                    while len(self._played) > _PLAYED_KEPT:
                        self._played.pop(next(iter(self._played)))
                yield parsed
            elif message.get("bytes") is not None:
                yield message["bytes"]

    async def send_event(self, message: Mapping[str, Any]) -> None:
        await self._send(text=wire.dumps(message))

    async def start_utterance(self, *, utterance_id: str, turn_id: str, sample_rate: int) -> None:
        # the rate was announced in session.started (output_sample_rate)
        await self.send_event({"type": "agent.audio_start", "utterance_id": utterance_id, "turn_id": turn_id})

    async def send_frame(self, pcm: bytes) -> None:
        await self._send(data=pcm)

    async def flush(self) -> None:
        """Nothing is queued here (frames go straight out, paced); the client drops its own queue
        on the `interrupted` event that follows."""

    def played_s(self, utterance_id: str) -> float | None:
        return self._played.get(utterance_id)

    async def _send(self, *, text: str | None = None, data: bytes | None = None) -> None:
        if self._ws.application_state != WebSocketState.CONNECTED:
            raise ConnectionError("the client has gone")
        async with self._lock:
            try:
                if text is not None:
                    await self._ws.send_text(text)
                else:
                    await self._ws.send_bytes(data or b"")
            except (WebSocketDisconnect, RuntimeError, OSError) as exc:
                raise ConnectionError(str(exc)) from exc

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await self._ws.close(code=code, reason=reason)


def session_config(settings: Settings, stt_prompt: str | None = None) -> SessionConfig:
    return SessionConfig(
        lead_s=settings.playout_lead_ms / 1000,
        barge_in_min_speech_s=settings.barge_in_min_speech_ms / 1000,
        partial_interval_s=settings.partial_interval_ms / 1000,
        speculate_after_s=settings.speculate_after_ms / 1000,
        endpoint_silence_s=settings.vad_min_silence_ms / 1000,
        eot_silence_s=settings.turn_silence_ms / 1000,
        eot_threshold=settings.turn_threshold,
        stt_prompt=stt_prompt,
        preemptive_reply=settings.preemptive_reply,
    )


def voice_session(
    state: Any,
    transport: Transport,
    *,
    owner: str | None,
    responder: Responder | None = None,
    on_tts_fallback: Callable[[Exception], None] | None = None,
    config: SessionConfig | None = None,
) -> VoiceSession:
    """One connection's `VoiceSession` on the app's shared engines (`app.state`, filled in by the
    lifespan): its responder and session config unless given, and a TTS of its own."""
    return VoiceSession(
        transport=transport,
        responder=state.responder if responder is None else responder,
        vad=state.vad,
        stt=state.stt,
        tts=state.tts_factory(on_tts_fallback),
        config=state.session_config if config is None else config,
        owner=owner,
        end_of_turn=state.end_of_turn,
    )


async def voice_endpoint(websocket: WebSocket) -> None:
    state = websocket.app.state
    settings: Settings = state.settings
    origin = websocket.headers.get("origin")
    if not origin_allowed(origin, host=websocket.headers.get("host"), extra=settings.allowed_origins):
        log.warning("refused WebSocket from origin %s", origin)
        await websocket.close(code=1008)
        return
    await websocket.accept()
    caller = authenticate(websocket.query_params.get("token"), settings)
    if caller is None:
        await websocket.close(code=4401, reason="a valid token is required")
        return
    transport = BrowserSocket(websocket)
    pending: set[asyncio.Task[None]] = set()

    def on_tts_fallback(error: Exception) -> None:
        """edge-tts failed: Piper speaks for the rest of this session; tell the client once."""
        message = {
            "type": "error",
            "code": "tts_failed",
            "fatal": False,
            "message": f"online voice unavailable ({error}); using the built-in voice",
        }
        task = asyncio.get_running_loop().create_task(_send_quietly(transport, message))
        pending.add(task)
        task.add_done_callback(pending.discard)

    session = voice_session(
        state,
        transport,
        owner=caller.owner,
        responder=OwnedResponder(state.responder, db=state.db, caller=caller),
        on_tts_fallback=on_tts_fallback,
    )
    guard = SessionGuard(
        thread_id=lambda: session.conversation.thread_id if session.conversation is not None else None,
        notify=transport.send_event,
        stop_session=session.close,
        close=transport.close,
        db=state.db,
        checkpointer=state.checkpointer,
        live=getattr(state, "live", None),
        interval_s=settings.session_watch_s,
    )
    watch = asyncio.create_task(guard.run(), name="session-guard")
    try:
        await session.run()
    finally:
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)


async def _send_quietly(transport: BrowserSocket, message: Mapping[str, Any]) -> None:
    with contextlib.suppress(ConnectionError):
        await transport.send_event(message)
