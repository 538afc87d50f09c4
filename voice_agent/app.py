"""The composition root: builds the Starlette app from settings and wires VAD, STT, TTS, the
LangGraph brain, storage and the embedded LLM together in the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from voice_agent import api, telephony, webrtc
from voice_agent.brain import LLMState, open_brain
from voice_agent.doctor import probe_speech
from voice_agent.engines import Engines, load_engines
from voice_agent.live import LiveSessions
from voice_agent.memory import trim_periodically
from voice_agent.settings import Settings
from voice_agent.ws import session_config, voice_endpoint

log = logging.getLogger(__name__)

FRONTEND_DIR = Path(__file__).resolve().parent.parent / "frontend"


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    from graph.fluency import WHISPER_DISFLUENCY_PROMPT
    from graph.workflows.english.content import phrase_dicts
    from graph.workflows.interview.bank import question_dicts
    from storage import (
        BackgroundWriter,
        Database,
        StorageError,
        open_checkpointer,
        replace_phrases,
        replace_questions,
    )

    settings: Settings = app.state.settings
    url = settings.resolved_database_url
    db = Database.connect(url)
    try:  # the database first: if it is down, say so in one line and stop before loading models
        await asyncio.to_thread(db.upgrade)
    except StorageError as exc:
        log.error("cannot start: %s", exc)
        db.dispose()
        raise
    try:
        # the packaged designer content (interview questions, English phrases) into the app database
        questions = await asyncio.to_thread(replace_questions, db=db, questions=question_dicts())
        phrases = await asyncio.to_thread(replace_phrases, db=db, phrases=phrase_dicts())
        log.info("content: %d questions and %d phrases seeded", questions, phrases)
    except StorageError as exc:  # e.g. a second process seeding at the same moment
        log.warning("question bank not reseeded: %s", exc)
    engines_task = asyncio.create_task(asyncio.to_thread(load_engines, settings), name="load-engines")
    try:
        engines: Engines = await engines_task
        async with contextlib.AsyncExitStack() as stack:
            checkpointer = await stack.enter_async_context(open_checkpointer(url))
            writer = BackgroundWriter(db=db, on_failure=lambda f: log.error("write failed: %s", f))
            speech_probes = await probe_speech(engines)
            eot_ok = all(p.ok for p in speech_probes if p.engine == "EOT")
            for probe in speech_probes:
                (log.info if probe.ok else log.error)("self-test %s", probe.line())
            llm: LLMState = app.state.llm
            responder = await stack.enter_async_context(
                open_brain(settings, db=db, checkpointer=checkpointer, writer=writer, llm=llm)
            )
            app.state.probes = {p.engine.lower(): p.as_dict() for p in speech_probes}
            app.state.db = db
            app.state.checkpointer = checkpointer
            app.state.writer = writer
            app.state.responder = responder
            app.state.engines = engines
            app.state.vad = engines.vad
            app.state.end_of_turn = engines.end_of_turn if eot_ok else None  # failed: the fixed silence
            app.state.stt = engines.stt
            app.state.tts_factory = engines.tts_for_session
            app.state.session_config = session_config(settings, WHISPER_DISFLUENCY_PROMPT)
            log.info("ready: %s; LLM %s; database %s", engines.describe(), llm.describe(), url.split("@")[-1])
            trimmer = asyncio.create_task(trim_periodically(), name="malloc-trim")
            try:
                yield
            finally:
                trimmer.cancel()
                await webrtc.close_all(app)
                await writer.drain()
    finally:
        if not engines_task.done():
            engines_task.cancel()
        db.dispose()


async def health(request: Request) -> JSONResponse:
    """Per-engine states: the start-up probes of VAD, STT, TTS and the end-of-turn model, and the
    LLM as it is now."""
    settings: Settings = request.app.state.settings
    llm: LLMState = request.app.state.llm
    engines = {**getattr(request.app.state, "probes", {}), "llm": llm.health()}
    ok = all(e.get("ok", True) for e in engines.values())
    body = {
        "status": "ok" if ok else "degraded",
        "llm": llm.provider,
        "stt": settings.stt_model,
        "tts": settings.tts,
        "engines": engines,
        "runtime": runtime(request),
    }
    return JSONResponse(body, status_code=200 if ok else 503)


def runtime(request: Request) -> dict[str, float]:
    """What the soak watches for growth: asyncio tasks, threads, the sentence cache's PCM; and the
    sentences spoken from the cache, synthesised, or shared with a session saying them too."""
    out: dict[str, float] = {"tasks": len(asyncio.all_tasks()), "threads": threading.active_count()}
    if (engines := getattr(request.app.state, "engines", None)) is not None:
        spoken = engines.spoken
        out["tts_cache_mb"] = round(spoken.size_bytes / 2**20, 1)
        out |= {"tts_cached": spoken.hits, "tts_synthesised": spoken.misses, "tts_shared": spoken.shared}
    return out


async def metrics(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    routes: list[BaseRoute] = [
        WebSocketRoute("/ws", voice_endpoint),
        Route("/healthz", health),
        Route("/metrics", metrics),
        *api.routes(),
        *telephony.routes(),
        *webrtc.routes(),
        Mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="frontend"),
    ]
    # DNS rebinding: a page on a foreign name that resolves to this machine sends its own Host
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.llm = LLMState(provider=settings.llm_provider)
    app.state.live = LiveSessions()
    return app
