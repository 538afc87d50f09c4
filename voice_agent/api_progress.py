"""The HTTP API for progress across sessions: a learner's charts, and the report as HTML.

- `GET /api/sessions/{thread_id}/progress` → `{learner, workflow, sessions, charts: [{id, title,
  note, labels?, series}], figures: [{id, title, note, points, svg}]}` (the SVG is what the
  report page and the HTML export show).
- `export?format=html` (see `voice_agent.api.export_session`) renders `html_report`.
Same token and ownership rules as `voice_agent.api`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from storage.charts import chart_figures
from storage.html_export import render_html
from storage.trends import learner_trends, progress_markdown
from voice_agent.api import _unknown, _visible_session, guarded
from voice_agent.auth import Caller


@guarded
async def session_progress(request: Request, caller: Caller) -> Response:
    if await _visible_session(request, caller) is None:
        return _unknown(request.path_params["thread_id"])
    db = request.app.state.db
    trends = await asyncio.to_thread(learner_trends, db=db, thread_id=request.path_params["thread_id"])
    if trends is None:
        return _unknown(request.path_params["thread_id"])
    return JSONResponse({**trends, "figures": chart_figures(trends)})


async def html_report(request: Request, export: dict[str, Any], headers: dict[str, str]) -> Response:
    trends = await asyncio.to_thread(
        learner_trends, db=request.app.state.db, thread_id=export["session"]["thread_id"]
    )
    return HTMLResponse(render_html(export, trends), headers=headers)


async def markdown_progress(request: Request, export: dict[str, Any]) -> str:
    """The progress section appended to the Markdown export ("" when there is nothing to chart)."""
    trends = await asyncio.to_thread(
        learner_trends, db=request.app.state.db, thread_id=export["session"]["thread_id"]
    )
    return progress_markdown(trends) if trends else ""


def routes() -> list[BaseRoute]:
    return [Route("/api/sessions/{thread_id}/progress", session_progress, methods=["GET"])]
