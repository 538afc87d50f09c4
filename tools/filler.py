"""Keep the line alive while a tool is slow: say a short filler line once if it takes too long."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

SLOW_TOOL_FILLERS = (
    "Let me check that.",
    "One moment.",
    "Let me look that up.",
    "Just a second.",
    "Let me think about that for a moment.",
)
"""Short lines the agent may speak while a tool runs (the caller picks one)."""


async def with_filler(
    coro: Awaitable[T],
    *,
    after_s: float = 0.7,
    on_slow: Callable[[], Any],
) -> T:
    """Await `coro`; if it is still running after `after_s` seconds, call `on_slow()` once (it may be
    sync or async) and keep waiting. Returns the result; the tool's exception (e.g. `ToolError`)
    propagates, and cancelling the caller cancels the tool."""
    task = asyncio.ensure_future(coro)
    try:
        done, _ = await asyncio.wait({task}, timeout=after_s)
        if not done:
            outcome = on_slow()
            if inspect.isawaitable(outcome):
                await outcome
        return await task
    finally:
        if not task.done():
            task.cancel()
