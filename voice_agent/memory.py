"""glibc malloc, tuned so that a long-running server hands freed memory back (glibc only; elsewhere
nothing changes).

- **Arenas capped at 2.** glibc gives each thread that allocates its own arena, up to 8 per core,
  and an arena rarely hands freed memory back. The server runs many threads that allocate (the
  event loop, VAD, end-of-turn, the model workers and the engines' own pools), so its resident
  memory kept stepping up for minutes under load. In the 4-session, 10-minute soak it grew
  12.5-16 % after the warm-up with the default, 5 % and 10.3 % with two arenas (two runs), and its
  peak was 170-230 MB lower.
- **A fixed mmap threshold** (`MMAP_THRESHOLD`). By default glibc raises the threshold to the size
  of each large block freed (up to 32 MB), so after the first decode, Whisper's and Piper's buffers
  of a few MB come from the heap, where one small block left above them pins the whole span. Fixed,
  every block of 1 MB or more is its own mapping and goes back to the system when freed.
- **The llama.cpp child** is a separate program: mallopt does not reach it, so it gets the same
  settings as glibc's environment variables (`malloc_env`). Its resident memory stepped up by
  30-40 MB three times in the first four minutes of a soak without them.
- **`trim()`** (`malloc_trim(0)`) returns the free pages inside the heap; the app runs it every
  `TRIM_EVERY_S` in a worker thread (`trim_periodically`), and logs what it handed back.

An explicit `MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_` in the environment wins.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
"""mallopt(3) parameter numbers in glibc's malloc.h."""
ARENAS = 2
MMAP_THRESHOLD = 1 << 20
TRIM_EVERY_S = 30.0
ENV = {"MALLOC_ARENA_MAX": ARENAS, "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD}


def _libc() -> Any | None:
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


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Serve blocks of `threshold` bytes or more from their own mappings, always."""
    done = _mallopt("MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD, threshold)
    if done:
        log.info("malloc mmap threshold fixed at %d bytes", threshold)
    return done


def tune_malloc() -> None:
    cap_malloc_arenas()
    fix_mmap_threshold()


def malloc_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The same settings for a child process, where its environment does not set them already."""
    source = os.environ if environ is None else environ
    return {k: str(v) for k, v in ENV.items() if not source.get(k)}


def trim() -> bool:
    """Hand the heap's free pages back to the system (blocking: call it in a worker thread)."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def trim_and_report() -> tuple[int, float]:
    """Trim; (bytes of resident memory handed back, milliseconds it took)."""
    before, started = _rss_bytes(), time.perf_counter()
    trim()
    took_ms = (time.perf_counter() - started) * 1000
    freed = max(0, before - _rss_bytes())
    (log.info if freed >= 1 << 20 else log.debug)(
        "malloc_trim handed back %.1f MB in %.1f ms", freed / 2**20, took_ms
    )
    return freed, took_ms


async def trim_periodically(interval_s: float = TRIM_EVERY_S) -> None:
    """Run as a task for the server's lifetime."""
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(trim_and_report)
