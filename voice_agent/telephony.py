"""Twilio Media Streams: the voice webhook (TwiML) and the stream WebSocket.

- `POST /telephony/twilio/voice` (Twilio's "A call comes in" webhook) answers TwiML
  `<Connect><Stream url="wss://<public host>/telephony/twilio/stream">` with the workflow and its
  options (settings, overridden by the webhook URL's query string), the hashed caller number and,
  when an auth token is set, a signature over the call SID as `<Parameter>`s. With
  `VOICE_AGENT_TWILIO_AUTH_TOKEN` set, a request without a valid `X-Twilio-Signature` gets 403.
- `WS /telephony/twilio/stream` runs one `VoiceSession` on a `TwilioCall` transport; the call's
  SID, stream SID and hashed caller are saved with the session (`storage.calls.save_call`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Connect, VoiceResponse

from voice_agent.api import owner_of
from voice_agent.settings import Settings
from voice_io.transports import twilio_wire as tw
from voice_io.transports.mulaw import FRAME_MS
from voice_io.transports.twilio import TwilioCall

log = logging.getLogger(__name__)

STREAM_PATH = "/telephony/twilio/stream"
_NOT_OPTIONS = {"workflow", "thread_id"}


def _key(settings: Settings) -> bytes:
    secret = settings.twilio_auth_token or settings.token
    return secret.get_secret_value().encode() if secret else b"voice-agent caller hash"


def hash_caller(number: str, settings: Settings) -> str:
    """The caller's number as a keyed hash (HMAC-SHA256, hex[:32]): never stored in clear."""
    return hmac.new(_key(settings), number.strip().encode(), hashlib.sha256).hexdigest()[:32]


def sign_call(call_sid: str, settings: Settings) -> str:
    assert settings.twilio_auth_token is not None
    key = settings.twilio_auth_token.get_secret_value().encode()
    return hmac.new(key, f"stream:{call_sid}".encode(), hashlib.sha256).hexdigest()


def public_url(request: Request | WebSocket, settings: Settings) -> str:
    """The URL as the outside world called it (Twilio signs that one)."""
    if not settings.public_url:
        return str(request.url)
    base = settings.public_url.rstrip("/")
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


def stream_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        host = urlsplit(settings.public_url).netloc
    else:
        host = request.headers.get("x-forwarded-host") or request.headers.get("host") or request.url.netloc
    return f"wss://{host}{STREAM_PATH}"


async def twilio_voice(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    # Twilio posts application/x-www-form-urlencoded (no multipart parser needed)
    params = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    if settings.twilio_auth_token is not None:
        validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        signature = request.headers.get("x-twilio-signature", "")
        if not validator.validate(public_url(request, settings), params, signature):
            log.warning("voice webhook: bad X-Twilio-Signature from %s", request.client)
            return PlainTextResponse("invalid Twilio signature", status_code=403)
    query = dict(request.query_params)
    workflow = query.get("workflow") or settings.twilio_workflow
    options = {**settings.twilio_options, **{k: v for k, v in query.items() if k not in _NOT_OPTIONS}}
    connect = Connect()
    stream = connect.stream(url=stream_url(request, settings))
    stream.parameter(name="workflow", value=workflow)
    if query.get("thread_id"):
        stream.parameter(name="thread_id", value=query["thread_id"])
    for name, value in options.items():
        stream.parameter(name=name, value=value)
    if params.get("From"):
        stream.parameter(name="caller", value=hash_caller(params["From"], settings))
    if settings.twilio_auth_token is not None and params.get("CallSid"):
        stream.parameter(name="auth", value=sign_call(params["CallSid"], settings))
    response = VoiceResponse()
    response.append(connect)
    log.info("voice webhook: call %s -> workflow %s", params.get("CallSid"), workflow)
    return Response(str(response), media_type="application/xml")


async def _frames(websocket: WebSocket) -> AsyncIterator[str | bytes]:
    while True:
        try:
            message = await websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            yield message["text"]
        elif message.get("bytes") is not None:
            yield message["bytes"]


def _on_event(state: Any) -> Any:
    """Saves the call's ids with the session once it has started (turn metrics are the session's)."""

    def on_event(message: Mapping[str, Any], call: TwilioCall) -> None:
        writer = getattr(state, "writer", None)
        if writer is None or call.thread_id is None or call.start is None:
            return
        if message.get("type") == "session.started":
            from storage.calls import save_call

            record = {
                "provider": "twilio",
                "call_sid": call.start.start.call_sid,
                "stream_sid": call.start.stream_sid,
                "caller_hash": call.start.start.custom_parameters.get("caller"),
            }
            writer.submit(save_call, thread_id=call.thread_id, call=record)

    return on_event


async def twilio_stream(websocket: WebSocket) -> None:
    from voice_agent.ws import voice_session

    state = websocket.app.state
    settings: Settings = state.settings
    await websocket.accept()

    async def send_text(text: str) -> None:
        try:
            await websocket.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            raise ConnectionError(str(exc)) from exc

    async def close_socket(code: int, reason: str) -> None:
        try:
            await websocket.close(code=code, reason=reason)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass

    token = settings.twilio_auth_token

    def verify(start: tw.Start) -> bool:
        given = start.start.custom_parameters.get("auth", "")
        return hmac.compare_digest(given, sign_call(start.start.call_sid, settings))

    call = TwilioCall(
        frames=_frames(websocket),
        send_text=send_text,
        close_socket=close_socket,
        default_workflow=settings.twilio_workflow,
        verify_start=verify if token is not None else None,
        on_event=_on_event(state),
    )
    session = voice_session(
        state,
        call,
        owner=owner_of(settings.token.get_secret_value() if settings.token else None),
        config=replace(state.session_config, frame_ms=FRAME_MS),
    )
    try:
        await session.run()
    finally:
        await call.close(1000, "")
        log.info("twilio stream %s ended: %s", call.stream_sid, dict(call.stats))


def routes() -> list[BaseRoute]:
    return [
        Route("/telephony/twilio/voice", twilio_voice, methods=["POST"]),
        WebSocketRoute(STREAM_PATH, twilio_stream),
    ]
