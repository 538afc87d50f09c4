"""glibc malloc, tuned so that a long-running server hands freed memory back (glibc only; elsewhere
nothing changes).

- **Arenas capped at 2.** glibc gives each thread that allocates its own arena, up to 8 per core,
  and an arena rarely hands freed memory back. The server runs many threads that allocate (the
  event loop, VAD, end-of-turn, the model workers and the engines' own pools), so its resident
  memory kept stepping up for minutes under load. In the 4-session, 10-minute soak it grew
  12.5-16 % after the warm-up with the default, 5 % and 10.3 % with two arenas (two runs), and its
  peak was 170-230 MB lower.
- **`trim()`** (`malloc_trim(0)`) returns the free pages inside the heap, which freed buffers of a
  few MB leave behind a small block still in use. The app runs it every `TRIM_EVERY_S` in a worker
  thread (`trim_periodically`) and logs what it handed back: in the passing 4-session soak,
  32-153 MB a time (20 trims), each in 10-25 ms.
- **The llama.cpp child** is a separate program: mallopt does not reach it, so it gets the arena cap
  as glibc's environment variable (`malloc_env`).
- **Tried and rejected: a fixed mmap threshold** (mallopt `M_MMAP_THRESHOLD` at 1 MB: every large
  block its own mapping, returned when freed). Whisper tiny.en then took 450-484 ms a decode
  instead of 298 ms (the page faults of its buffers, 7 clips x 3, median), so the server does not set it.

An explicit `MALLOC_ARENA_MAX` in the environment wins.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""mallopt(3) parameter number in glibc's malloc.h."""
ARENAS = 2
TRIM_EVERY_S = 30.0
ENV = {"MALLOC_ARENA_MAX": ARENAS}


@functools.cache
def _libc() -> Any | None:
    """glibc, loaded once (`find_library` runs `ldconfig -p`), or None elsewhere."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None
    return libc


def _mallopt(env: str, param: int, value: int) -> bool:
    if os.environ.get(env) or (libc := _libc()) is None:
        return False
    return bool(libc.mallopt(param, value))


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process (before its threads start allocating)."""
    done = _mallopt("MALLOC_ARENA_MAX", M_ARENA_MAX, arenas)
    if done:
        log.info("malloc arenas capped at %d", arenas)
    return done


def malloc_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The same settings for a child process, where its environment does not set them already."""
    source = os.environ if environ is None else environ
    return {k: str(v) for k, v in ENV.items() if not source.get(k)}


def trim() -> bool:
    """Hand the heap's free pages back to the system (blocking: call it in a worker thread)."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


def resident_bytes(pid: int | str = "self") -> int:
    """A process's resident memory (Linux `/proc`; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def trim_and_report() -> None:
    """Trim, and log the resident memory it handed back and how long it took."""
    before, started = resident_bytes(), time.perf_counter()
    trim()
    took_ms = (time.perf_counter() - started) * 1000
    freed = max(0, before - resident_bytes())
    (log.info if freed >= 1 << 20 else log.debug)(
        "malloc_trim handed back %.1f MB in %.1f ms", freed / 2**20, took_ms
    )


async def trim_periodically(interval_s: float = TRIM_EVERY_S) -> None:
    """Run as a task for the server's lifetime."""
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(trim_and_report)
