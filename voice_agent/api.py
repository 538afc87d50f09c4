"""The HTTP API: workflows and stored sessions (list, show, delete, export, history, fork).

Handlers read `request.app.state.db` (storage.Database), `.checkpointer`, `.settings` and `.live`.
When a token is configured (`voice_agent.auth`) every route needs `Authorization: Bearer <token>`
or `?token=`: the shared admin token sees every session, a user's signed token only that user's;
someone else's session is a 404 exactly like an unknown one.
Errors are JSON: `{"error": {"code": ..., "message": ...}}` with codes `unauthorized` (401),
`unknown_thread` (404), `unknown_checkpoint` (404), `bad_field` (400), `unavailable` (503: the
database is down).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

import storage
from voice_agent.auth import Caller, authenticate, owner_of
from voice_agent.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]
MAX_LIST = 500


__all__ = ["owner_of", "routes"]


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _unknown(thread_id: str) -> JSONResponse:
    return error(404, "unknown_thread", f"no session {thread_id!r}")


def _caller_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.query_params.get("token")


def guarded(handler: Callable[[Request, Caller], Awaitable[Response]]) -> Handler:
    """Check the token (when one is configured), pass the caller on, map storage errors."""

    async def endpoint(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        caller = authenticate(_caller_token(request), settings)
        if caller is None:
            return error(401, "unauthorized", "a valid token is required (Authorization: Bearer <token>)")
        try:
            return await handler(request, caller)
        except storage.DatabaseUnavailable as exc:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
            return error(503, "unavailable", "the database is unavailable, try again later")

    return endpoint


async def _visible_export(request: Request, caller: Caller) -> dict[str, Any] | None:
    """The session's export, or None when unknown or owned by someone else."""
    thread_id = request.path_params["thread_id"]
    export = await asyncio.to_thread(storage.export_session, db=request.app.state.db, thread_id=thread_id)
    if export is None or not caller.owns(export["session"]):
        return None
    return export


async def _visible_session(request: Request, caller: Caller) -> dict[str, Any] | None:
    thread_id = request.path_params["thread_id"]
    session = await asyncio.to_thread(storage.get_session, db=request.app.state.db, thread_id=thread_id)
    return session if caller.owns(session) else None


@guarded
async def list_workflows(request: Request, caller: Caller) -> Response:
    from graph.registry import list_workflows as workflows  # the brain loads only when asked

    return JSONResponse({"workflows": workflows()})


@guarded
async def list_sessions(request: Request, caller: Caller) -> Response:
    try:
        limit = int(request.query_params.get("limit", "50"))
    except ValueError:
        return error(400, "bad_field", "limit must be an integer")
    limit = max(1, min(limit, MAX_LIST))
    sessions = await asyncio.to_thread(
        storage.list_sessions, db=request.app.state.db, owner=caller.scope, limit=limit
    )
    return JSONResponse({"sessions": sessions})


@guarded
async def get_session(request: Request, caller: Caller) -> Response:
    export = await _visible_export(request, caller)
    if export is None:
        return _unknown(request.path_params["thread_id"])
    return JSONResponse(export)


@guarded
async def delete_session(request: Request, caller: Caller) -> Response:
    thread_id = request.path_params["thread_id"]
    db = request.app.state.db
    if not caller.admin and await _visible_session(request, caller) is None:
        return _unknown(thread_id)
    live = getattr(request.app.state, "live", None)
    if live is not None:  # a session connected to this process is told and stopped first
        await live.deleted(thread_id)
    deleted = await storage.delete_thread(
        db=db, checkpointer=request.app.state.checkpointer, thread_id=thread_id
    )
    if not deleted:
        return _unknown(thread_id)
    log.info("deleted session %s", thread_id)
    return JSONResponse({"deleted": True, "thread_id": thread_id})


@guarded
async def export_session(request: Request, caller: Caller) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "md", "html"):
        return error(400, "bad_field", "format must be json, md or html")
    export = await _visible_export(request, caller)
    if export is None:
        return _unknown(request.path_params["thread_id"])
    name = f"session-{export['session']['thread_id']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    from voice_agent import api_progress  # imports this module's guards

    if fmt == "html":
        return await api_progress.html_report(request, export, headers)
    if fmt == "md":
        text = storage.render_markdown(export) + await api_progress.markdown_progress(request, export)
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8", headers=headers)
    export = {**export, "exported_at": datetime.now(UTC).isoformat()}
    return Response(
        json.dumps(export, indent=2, allow_nan=False), media_type="application/json", headers=headers
    )


@guarded
async def session_history(request: Request, caller: Caller) -> Response:
    thread_id = request.path_params["thread_id"]
    if await _visible_session(request, caller) is None:
        return _unknown(thread_id)
    checkpoints = await storage.list_checkpoints(
        checkpointer=request.app.state.checkpointer, thread_id=thread_id
    )
    return JSONResponse({"thread_id": thread_id, "checkpoints": checkpoints})


@guarded
async def fork_session(request: Request, caller: Caller) -> Response:
    """`POST {"checkpoint_id": ...}` → `{thread_id (the new one), forked_from}`."""
    thread_id = request.path_params["thread_id"]
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return error(400, "bad_json", "the body must be a JSON object")
    checkpoint_id = body.get("checkpoint_id") if isinstance(body, dict) else None
    if not isinstance(checkpoint_id, str) or not checkpoint_id.strip() or len(checkpoint_id) > 64:
        return error(400, "bad_field", "checkpoint_id (a string, see /history) is required")
    if await _visible_session(request, caller) is None:
        return _unknown(thread_id)
    try:
        new_thread_id = await storage.fork_thread(
            checkpointer=request.app.state.checkpointer,
            db=request.app.state.db,
            thread_id=thread_id,
            checkpoint_id=checkpoint_id,
        )
    except storage.UnknownThread:
        return _unknown(thread_id)
    except storage.UnknownCheckpoint:
        return error(404, "unknown_checkpoint", f"session {thread_id!r} has no checkpoint {checkpoint_id!r}")
    forked_from = {"thread_id": thread_id, "checkpoint_id": checkpoint_id}
    return JSONResponse({"thread_id": new_thread_id, "forked_from": forked_from}, status_code=201)


def routes() -> list[BaseRoute]:
    from voice_agent import api_progress

    return [
        Route("/api/workflows", list_workflows, methods=["GET"]),
        Route("/api/sessions", list_sessions, methods=["GET"]),
        Route("/api/sessions/{thread_id}", get_session, methods=["GET"]),
        Route("/api/sessions/{thread_id}", delete_session, methods=["DELETE"]),
        Route("/api/sessions/{thread_id}/export", export_session, methods=["GET"]),
        Route("/api/sessions/{thread_id}/history", session_history, methods=["GET"]),
        Route("/api/sessions/{thread_id}/fork", fork_session, methods=["POST"]),
        *api_progress.routes(),
    ]
