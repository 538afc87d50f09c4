"""The HTTP API: workflows and stored sessions (list, show, delete, export, history).

Handlers read `request.app.state.db` (storage.Database), `.checkpointer` and `.settings`.
When `settings.token` is set every route needs `Authorization: Bearer <token>` or `?token=`,
and only sessions owned by that token (`owner_of(token)`, as stored by /ws) are visible.
Errors are JSON: `{"error": {"code": ..., "message": ...}}` with codes `unauthorized` (401),
`unknown_thread` (404), `bad_field` (400), `unavailable` (503: the database is down).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

import storage
from voice_agent.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]
MAX_LIST = 500


def owner_of(token: str | None) -> str | None:
    """The owner key stored with sessions created under an access token (same as /ws)."""
    return None if not token else hashlib.sha256(token.encode()).hexdigest()[:32]


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


def guarded(handler: Callable[[Request, str | None], Awaitable[Response]]) -> Handler:
    """Check the token (when one is configured), pass the caller's owner key on, map storage errors."""

    async def endpoint(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        owner: str | None = None
        if settings.token is not None:
            expected = settings.token.get_secret_value()
            given = _caller_token(request)
            if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
                return error(401, "unauthorized", "a valid token is required (Authorization: Bearer <token>)")
            owner = owner_of(expected)
        try:
            return await handler(request, owner)
        except storage.DatabaseUnavailable as exc:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
            return error(503, "unavailable", "the database is unavailable, try again later")

    return endpoint


async def _visible_export(request: Request, owner: str | None) -> dict[str, Any] | None:
    """The session's export, or None when unknown or owned by someone else."""
    thread_id = request.path_params["thread_id"]
    export = await asyncio.to_thread(storage.export_session, db=request.app.state.db, thread_id=thread_id)
    if export is None or (owner is not None and export["session"]["owner"] != owner):
        return None
    return export


@guarded
async def list_workflows(request: Request, owner: str | None) -> Response:
    from graph.registry import list_workflows as workflows  # the brain loads only when asked

    return JSONResponse({"workflows": workflows()})


@guarded
async def list_sessions(request: Request, owner: str | None) -> Response:
    try:
        limit = int(request.query_params.get("limit", "50"))
    except ValueError:
        return error(400, "bad_field", "limit must be an integer")
    limit = max(1, min(limit, MAX_LIST))
    sessions = await asyncio.to_thread(
        storage.list_sessions, db=request.app.state.db, owner=owner, limit=limit
    )
    return JSONResponse({"sessions": sessions})


@guarded
async def get_session(request: Request, owner: str | None) -> Response:
    export = await _visible_export(request, owner)
    if export is None:
        return _unknown(request.path_params["thread_id"])
    return JSONResponse(export)


@guarded
async def delete_session(request: Request, owner: str | None) -> Response:
    thread_id = request.path_params["thread_id"]
    db = request.app.state.db
    if owner is not None:
        session = await asyncio.to_thread(storage.get_session, db=db, thread_id=thread_id)
        if session is None or session["owner"] != owner:
            return _unknown(thread_id)
    deleted = await storage.delete_thread(
        db=db, checkpointer=request.app.state.checkpointer, thread_id=thread_id
    )
    if not deleted:
        return _unknown(thread_id)
    log.info("deleted session %s", thread_id)
    return JSONResponse({"deleted": True, "thread_id": thread_id})


@guarded
async def export_session(request: Request, owner: str | None) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "md"):
        return error(400, "bad_field", "format must be json or md")
    export = await _visible_export(request, owner)
    if export is None:
        return _unknown(request.path_params["thread_id"])
    name = f"session-{export['session']['thread_id']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "md":
        return PlainTextResponse(
            storage.render_markdown(export), media_type="text/markdown; charset=utf-8", headers=headers
        )
    export = {**export, "exported_at": datetime.now(UTC).isoformat()}
    return Response(json.dumps(export, indent=2), media_type="application/json", headers=headers)


@guarded
async def session_history(request: Request, owner: str | None) -> Response:
    thread_id = request.path_params["thread_id"]
    session = await asyncio.to_thread(storage.get_session, db=request.app.state.db, thread_id=thread_id)
    if session is None or (owner is not None and session["owner"] != owner):
        return _unknown(thread_id)
    checkpoints = await storage.list_checkpoints(
        checkpointer=request.app.state.checkpointer, thread_id=thread_id
    )
    return JSONResponse({"thread_id": thread_id, "checkpoints": checkpoints})


def routes() -> list[BaseRoute]:
    return [
        Route("/api/workflows", list_workflows, methods=["GET"]),
        Route("/api/sessions", list_sessions, methods=["GET"]),
        Route("/api/sessions/{thread_id}", get_session, methods=["GET"]),
        Route("/api/sessions/{thread_id}", delete_session, methods=["DELETE"]),
        Route("/api/sessions/{thread_id}/export", export_session, methods=["GET"]),
        Route("/api/sessions/{thread_id}/history", session_history, methods=["GET"]),
    ]
