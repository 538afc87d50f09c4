"""The composition root: builds the Starlette app from settings and wires VAD, STT, TTS, the
LangGraph brain, storage and the embedded LLM together in the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from voice_agent import api
from voice_agent.engines import Engines, load_engines
from voice_agent.settings import Settings
from voice_agent.ws import session_config, voice_endpoint

log = logging.getLogger(__name__)

FRONTEND_DIR = Path(__file__).resolve().parent.parent / "frontend"


@contextlib.asynccontextmanager
async def open_brain(settings: Settings, *, db: Any, checkpointer: Any, writer: Any) -> AsyncIterator[Any]:
    """The GraphResponder with its chat model (starting the embedded LLM server when needed)."""
    from graph.llm import build_chat_model
    from graph.registry import add_spec_dir
    from graph.responder import GraphResponder
    from storage import StorageRecorder
    from voice_agent.llm_server import LlamaServer, embedded_gguf_path

    add_spec_dir(settings.workflows_dir)
    async with contextlib.AsyncExitStack() as stack:
        provider = settings.llm_provider
        base_url = settings.openai_base_url
        model = settings.llm_model
        if provider == "embedded":
            server = await stack.enter_async_context(
                LlamaServer(embedded_gguf_path(), n_threads=settings.llm_threads, n_ctx=settings.llm_ctx)
            )
            base_url, model = server.base_url, server.alias
        chat_model = build_chat_model(
            provider=provider,
            base_url=base_url,
            api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else None,
            model=model,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
            timeout_s=settings.llm_timeout_s,
        )
        yield GraphResponder(
            chat_model=chat_model,
            checkpointer=checkpointer,
            recorder=StorageRecorder(db=db, writer=writer),
            tool_args={"db": db},
            llm_timeout_s=settings.llm_timeout_s,
        )


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    from graph.fluency import WHISPER_DISFLUENCY_PROMPT
    from graph.workflows.interview.bank import question_dicts
    from storage import BackgroundWriter, Database, StorageError, open_checkpointer, replace_questions

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
        # the packaged designer content (interview questions) into the app database
        questions = await asyncio.to_thread(replace_questions, db=db, questions=question_dicts())
        log.info("question bank: %d questions seeded", questions)
    except StorageError as exc:  # e.g. a second process seeding at the same moment
        log.warning("question bank not reseeded: %s", exc)
    engines_task = asyncio.create_task(asyncio.to_thread(load_engines, settings), name="load-engines")
    try:
        engines: Engines = await engines_task
        async with contextlib.AsyncExitStack() as stack:
            checkpointer = await stack.enter_async_context(open_checkpointer(url))
            writer = BackgroundWriter(db=db, on_failure=lambda f: log.error("write failed: %s", f))
            responder = await stack.enter_async_context(
                open_brain(settings, db=db, checkpointer=checkpointer, writer=writer)
            )
            app.state.db = db
            app.state.checkpointer = checkpointer
            app.state.writer = writer
            app.state.responder = responder
            app.state.engines = engines
            app.state.vad = engines.vad
            app.state.stt = engines.stt
            app.state.tts_factory = engines.tts_for_session
            app.state.session_config = session_config(settings, WHISPER_DISFLUENCY_PROMPT)
            log.info(
                "ready: %s; LLM %s; database %s",
                engines.describe(),
                settings.llm_provider,
                url.split("@")[-1],
            )
            try:
                yield
            finally:
                await writer.drain()
    finally:
        if not engines_task.done():
            engines_task.cancel()
        db.dispose()


async def health(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    return JSONResponse(
        {"status": "ok", "llm": settings.llm_provider, "stt": settings.stt_model, "tts": settings.tts}
    )


async def metrics(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    routes: list[BaseRoute] = [
        WebSocketRoute("/ws", voice_endpoint),
        Route("/healthz", health),
        Route("/metrics", metrics),
        *api.routes(),
        Mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="frontend"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    return app
