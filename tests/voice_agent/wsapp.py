"""The real /ws endpoint and HTTP API in-process: the real LangGraph brain (rules, no LLM), a real
SQLite database and checkpointer, the app's Host allow-list; fakes only for the speech engines
(VAD, STT, TTS: these tests are about the protocol edge and about who may see what)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient

import storage
from graph.registry import seed_content
from graph.responder import GraphResponder
from tests.fakes import EnergyVAD, FakeSTT, FakeTTS
from voice_agent import api
from voice_agent.live import LiveSessions
from voice_agent.settings import Settings
from voice_agent.ws import session_config, voice_endpoint

BASE_URL = "http://127.0.0.1:8000"
WS_URL = "ws://127.0.0.1:8000/ws"


def build_app(url: str, settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = storage.Database.connect(url)
        await asyncio.to_thread(db.upgrade)
        await asyncio.to_thread(seed_content, db=db)
        async with storage.open_checkpointer(url) as saver:
            writer = storage.BackgroundWriter(db=db)
            app.state.db = db
            app.state.checkpointer = saver
            app.state.writer = writer
            app.state.responder = GraphResponder(chat_model=None, checkpointer=saver, db=db, writer=writer)
            app.state.vad = EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64)
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


@contextlib.contextmanager
def running(tmp_path: Path, **settings: Any) -> Iterator[tuple[TestClient, str]]:
    url = f"sqlite:///{tmp_path / 'data' / 'voice_agent.db'}"
    app = build_app(url, Settings.model_validate(settings))
    with TestClient(app, base_url=BASE_URL) as client:
        yield client, url


def _not_json(name: str) -> Any:
    raise AssertionError(f"the server sent {name}, which is not JSON")


def receive_until(ws: Any, done: Callable[[dict[str, Any]], bool], limit: int = 2000) -> list[dict[str, Any]]:
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
