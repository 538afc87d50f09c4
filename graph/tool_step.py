"""One tool step, run the same way everywhere: announce it, run it, record it, answer the call.

Nodes that call a tool themselves (scoring, analysis) and `call_tools` (the model's calls) both
go through `run_tool`: a `ToolRecord` "start" before, then "end" with the result or "error" plus a
non-fatal `tool_failed` warning, and always a `ToolMessage` so no tool call is left dangling.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.runtime import Runtime

from graph.context import Context
from graph.notices import ToolRecord, notify
from voice_io.events import WarningEvent

log = logging.getLogger(__name__)


async def run_tool(
    runtime: Runtime[Context],
    *,
    name: str,
    args: dict[str, Any],
    call_id: str,
    run: Callable[[], Awaitable[Any]],
) -> tuple[Any, ToolMessage]:
    """(result or None when the tool failed, the ToolMessage answering `call_id`)."""
    notify(runtime, ToolRecord(name, "start", args=args))
    try:
        result = await run()
    except Exception as exc:
        log.exception("tool %s failed", name)
        notify(runtime, ToolRecord(name, "error", args=args, error=str(exc)))
        notify(runtime, WarningEvent(code="tool_failed", message=f"{name} failed: {exc}"))
        return None, ToolMessage(content=f"error: {exc}", tool_call_id=call_id, name=name, status="error")
    notify(runtime, ToolRecord(name, "end", args=args, result=result))
    content = result if isinstance(result, str) else json.dumps(result, default=str)
    return result, ToolMessage(content=content, tool_call_id=call_id, name=name)


async def tool_step(
    runtime: Runtime[Context], *, name: str, args: dict[str, Any], run: Callable[[], Awaitable[Any]]
) -> tuple[Any, list[BaseMessage]]:
    """A tool the graph calls itself: (result or None, [the AIMessage tool call, its ToolMessage])."""
    call_id = f"call_{uuid.uuid4().hex[:12]}"
    result, reply = await run_tool(runtime, name=name, args=args, call_id=call_id, run=run)
    call = AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])
    return result, [call, reply]
