"""The server's malloc arenas, capped (glibc).

glibc gives each thread that allocates its own arena, up to 8 per core, and an arena rarely hands
freed memory back. The server runs many threads that allocate (the event loop, VAD, end-of-turn,
the model workers and the engines' own pools), so its resident memory kept stepping up for minutes
under load. In the 4-session, 10-minute soak it grew 12.5-16 % after the warm-up with the default,
5 % and 10.3 % with two arenas (two runs), and its peak was 170-230 MB lower.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""mallopt(3) parameter number of M_ARENA_MAX in glibc's malloc.h."""
ARENAS = 2


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process (before its threads start allocating). An
    explicit `MALLOC_ARENA_MAX` in the environment wins; elsewhere than glibc nothing changes."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_ARENA_MAX, arenas))
    if done:
        log.info("malloc arenas capped at %d", arenas)
    return done
