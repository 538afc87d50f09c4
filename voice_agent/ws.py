"""The `/ws` endpoint: origin and token checks, then one `VoiceSession` per connection.

The WebSocket adapter is the session's `AudioSink`; turn metrics passing through it are also
stored with the turn (off the latency path).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from voice_agent.api import owner_of
from voice_agent.settings import Settings
from voice_io.session import SessionConfig, VoiceSession

log = logging.getLogger(__name__)

_LOCAL_ORIGIN = re.compile(r"^http://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$")


def origin_allowed(origin: str | None, *, host: str | None, extra: list[str]) -> bool:
    """Browsers always send Origin; other clients (CLI, bench) send none and are allowed."""
    if origin is None:
        return True
    origin = origin.rstrip("/")
    if _LOCAL_ORIGIN.match(origin) or origin in extra:
        return True
    return host is not None and origin in (f"http://{host}", f"https://{host}")


class WebSocketSink:
    def __init__(self, websocket: WebSocket, *, app_state: Any) -> None:
        self._ws = websocket
        self._lock = asyncio.Lock()
        self._state = app_state
        self.thread_id: str | None = None

    async def send_json(self, message: Mapping[str, Any]) -> None:
        if message.get("type") == "session.started":
            self.thread_id = str(message["thread_id"])
        elif message.get("type") == "turn.metrics" and self.thread_id:
            self._store_metrics(dict(message))
        await self._send(text=json.dumps(message, separators=(",", ":")))

    async def send_audio(self, pcm: bytes) -> None:
        await self._send(data=pcm)

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

    def _store_metrics(self, message: dict[str, Any]) -> None:
        writer = getattr(self._state, "writer", None)
        if writer is None:
            return
        from storage import set_turn_metrics

        metrics = {k: v for k, v in message.items() if k not in ("type", "turn_id")}
        writer.submit(set_turn_metrics, thread_id=self.thread_id, turn_id=message["turn_id"], metrics=metrics)

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
            await self._ws.close(code=code, reason=reason)


def session_config(settings: Settings, stt_prompt: str | None = None) -> SessionConfig:
    return SessionConfig(
        lead_s=settings.playout_lead_ms / 1000,
        barge_in_min_speech_s=settings.barge_in_min_speech_ms / 1000,
        partial_interval_s=settings.partial_interval_ms / 1000,
        endpoint_silence_s=settings.vad_min_silence_ms / 1000,
        stt_prompt=stt_prompt,
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
    token = websocket.query_params.get("token")
    expected = settings.token.get_secret_value() if settings.token else None
    if expected and token != expected:
        await websocket.close(code=4401, reason="a valid token is required")
        return
    sink = WebSocketSink(websocket, app_state=state)
    pending: set[asyncio.Task[None]] = set()

    def on_tts_fallback(error: Exception) -> None:
        """edge-tts failed: Piper speaks for the rest of this session; tell the client once."""
        message = {
            "type": "error",
            "code": "tts_failed",
            "fatal": False,
            "message": f"online voice unavailable ({error}); using the built-in voice",
        }
        task = asyncio.get_running_loop().create_task(sink.send_json(message))
        pending.add(task)
        task.add_done_callback(pending.discard)

    session = VoiceSession(
        sink=sink,
        responder=state.responder,
        vad=state.vad,
        stt=state.stt,
        tts=state.tts_factory(on_tts_fallback),
        close=sink.close,
        config=state.session_config,
        owner=owner_of(expected),
    )
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("text") is not None:
                await session.handle_text(message["text"])
            elif message.get("bytes") is not None:
                await session.handle_audio(message["bytes"])
    except (WebSocketDisconnect, ConnectionError):
        pass
    except Exception:
        log.exception("session failed")
        with contextlib.suppress(Exception):
            await sink.send_json(
                {"type": "error", "code": "internal", "message": "internal error", "fatal": True}
            )
        await sink.close(1011, "internal error")
    finally:
        await session.close()
