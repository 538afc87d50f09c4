"""Dedicated worker threads for the blocking model calls, one small pool per engine kind.

Sharing asyncio's default pool lets a few slow STT jobs (a cancelled speculative decode still runs
to the end) starve the 32 ms VAD windows of every session. Each kind gets its own pool instead:
VAD windows never wait behind Whisper, and Whisper jobs (each already using every core) run one at a
time instead of thrashing two cores.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

Kind = Literal["vad", "stt", "tts"]

_POOLS: dict[str, ThreadPoolExecutor] = {}


def pool(kind: Kind) -> ThreadPoolExecutor:
    if kind not in _POOLS:
        _POOLS[kind] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"voice-{kind}")
    return _POOLS[kind]


async def run_in(kind: Kind, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` entirely in the `kind` worker thread and await its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool(kind), functools.partial(fn, *args, **kwargs))
