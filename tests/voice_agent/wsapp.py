"""The real /ws endpoint and HTTP API served by uvicorn in a thread, over real sockets: the real
LangGraph brain (rules, no LLM), a real SQLite database and checkpointer, the app's Host
allow-list; fakes only for the speech engines (VAD, STT, TTS: these tests are about the protocol
edge and about who may see what)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import WebSocketRoute
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

import storage
from graph.responder import GraphResponder
from graph.workflows.interview.bank import question_dicts
from tests.fakes import EnergyVAD, FakeSTT, FakeTTS
from voice_agent import api
from voice_agent.live import LiveSessions
from voice_agent.llm_server import free_port
from voice_agent.settings import Settings
from voice_agent.ws import session_config, voice_endpoint


def build_app(url: str, settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = storage.Database.connect(url)
        await asyncio.to_thread(db.upgrade)
        await asyncio.to_thread(storage.replace_questions, db=db, questions=question_dicts())
        async with storage.open_checkpointer(url) as saver:
            writer = storage.BackgroundWriter(db=db)
            app.state.db = db
            app.state.checkpointer = saver
            app.state.writer = writer
            app.state.responder = GraphResponder(
                chat_model=None,
                checkpointer=saver,
                recorder=storage.StorageRecorder(db=db, writer=writer),
            )
            app.state.vad = EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64)
            app.state.end_of_turn = None  # the fixed silence (these tests use an energy VAD)
            app.state.stt = FakeSTT(["I led the migration of our billing service."])
            app.state.tts_factory = lambda on_fallback: FakeTTS(seconds_per_word=0.05)
            app.state.session_config = session_config(settings)
            try:
                yield
            finally:
                await writer.aclose()
        db.dispose()

    app = Starlette(
        routes=[WebSocketRoute("/ws", voice_endpoint), *api.routes()],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.live = LiveSessions()
    return app


@dataclass
class Served:
    """The app served by uvicorn on a free loopback port, with an HTTP client for it."""

    port: int
    url: str
    """The database URL."""
    http: httpx.Client

    @contextlib.contextmanager
    def socket(self, *, token: str | None = None, host: str | None = None) -> Iterator[Socket]:
        """A real WebSocket to /ws; `host` sends that Host header (the TCP peer stays 127.0.0.1)."""
        query = f"?token={token}" if token is not None else ""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        uri = f"ws://{host or f'127.0.0.1:{self.port}'}/ws{query}"
        with connect(uri, sock=sock, max_size=None, open_timeout=10) as ws:
            yield Socket(ws)


class Socket:
    """`receive()` gives ASGI-style dicts: `{"type": "websocket.send", "text"|"bytes"}` or
    `{"type": "websocket.close", "code"}` once the server has closed."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send_text(self, text: str) -> None:
        self.ws.send(text)

    def receive(self, timeout: float = 90) -> dict[str, Any]:
        try:
            frame = self.ws.recv(timeout=timeout)
        except ConnectionClosed as closed:
            return {"type": "websocket.close", "code": closed.rcvd.code if closed.rcvd else 1006}
        key = "text" if isinstance(frame, str) else "bytes"
        return {"type": "websocket.send", key: frame}


@contextlib.contextmanager
def running(tmp_path: Path, *, database_url: str | None = None, **settings: Any) -> Iterator[Served]:
    url = database_url or f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"
    app = build_app(url, Settings.model_validate(settings))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield Served(port=port, url=url, http=http)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _not_json(name: str) -> Any:
    raise AssertionError(f"the server sent {name}, which is not JSON")


def receive_until(
    ws: Socket, done: Callable[[dict[str, Any]], bool], limit: int = 2000
) -> list[dict[str, Any]]:
    """JSON messages up to and including the first for which `done` is true (audio is skipped)."""
    import json

    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        message = ws.receive()
        if message["type"] == "websocket.close":
            raise AssertionError(f"closed with {message.get('code')} after {[m['type'] for m in seen]}")
        if message.get("text") is None:
            continue
        item = json.loads(message["text"], parse_constant=_not_json)  # strict, as a browser's JSON.parse
        seen.append(item)
        if done(item):
            return seen
    raise AssertionError(f"not seen within {limit} frames: {[m['type'] for m in seen]}")
