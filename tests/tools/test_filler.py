"""A slow tool makes the agent say one short filler line; a fast one doesn't."""

from __future__ import annotations

import asyncio

import pytest

from tools.filler import SLOW_TOOL_FILLERS, with_filler
from voice_io.errors import ToolError


async def tool_taking(seconds: float, result: str = "done") -> str:
    await asyncio.sleep(seconds)
    return result


async def failing_after(seconds: float) -> str:
    await asyncio.sleep(seconds)
    raise ToolError("search_questions: the database failed")


async def test_fast_tool_says_nothing() -> None:
    said: list[str] = []
    result = await with_filler(tool_taking(0.0), after_s=0.2, on_slow=lambda: said.append("x"))
    assert result == "done" and said == []


async def test_slow_tool_says_one_filler_then_returns_the_result() -> None:
    said: list[str] = []
    result = await with_filler(tool_taking(0.15, "rows"), after_s=0.03,
                               on_slow=lambda: said.append(SLOW_TOOL_FILLERS[0]))
    assert result == "rows" and said == ["Let me check that."]


async def test_async_on_slow_is_awaited() -> None:
    said: list[str] = []

    async def speak() -> None:
        await asyncio.sleep(0)
        said.append("One moment.")

    assert await with_filler(tool_taking(0.1), after_s=0.02, on_slow=speak) == "done"
    assert said == ["One moment."]


@pytest.mark.parametrize("delay", [0.0, 0.1])
async def test_tool_error_propagates_fast_or_slow(delay: float) -> None:
    said: list[str] = []
    with pytest.raises(ToolError, match="database failed"):
        await with_filler(failing_after(delay), after_s=0.03, on_slow=lambda: said.append("x"))
    assert said == ([] if delay == 0.0 else ["x"])


async def test_cancelling_the_caller_cancels_the_tool() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def slow_tool() -> str:
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "never"

    caller = asyncio.create_task(with_filler(slow_tool(), after_s=0.01, on_slow=lambda: None))
    await started.wait()
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await asyncio.wait_for(cancelled.wait(), timeout=1.0)


def test_filler_lines_are_short_spoken_sentences() -> None:
    assert len(SLOW_TOOL_FILLERS) >= 3
    assert all(len(line.split()) <= 8 and line.endswith(".") for line in SLOW_TOOL_FILLERS)
