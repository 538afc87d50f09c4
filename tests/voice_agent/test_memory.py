"""The malloc arena cap: applied by glibc, and an explicit MALLOC_ARENA_MAX wins."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from voice_agent.memory import cap_malloc_arenas


def test_an_explicit_malloc_arena_max_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert cap_malloc_arenas() is False


def test_glibc_takes_the_cap_and_threads_then_share_the_arenas() -> None:
    """In a fresh process, 8 threads that each allocate use at most the capped number of arenas
    (glibc's malloc_stats lists one "Arena N:" per arena), against one per thread without it."""
    script = """
import ctypes, sys, threading
from voice_agent.memory import cap_malloc_arenas
if sys.argv[1] == "cap":
    assert cap_malloc_arenas(2)
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
gate = threading.Barrier(8)
def work():
    gate.wait()  # all alive at once: each needs an arena of its own unless capped
    blocks = [libc.malloc(64 * 1024) for _ in range(50)]
    gate.wait()
    for b in blocks:
        libc.free(b)
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc.malloc_stats()
"""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    arenas = {}
    for mode in ("cap", "default"):
        out = subprocess.run(
            [sys.executable, "-c", script, mode], capture_output=True, text=True, env=env, check=True
        )
        arenas[mode] = out.stderr.count("Arena ")
    assert 1 <= arenas["cap"] <= 2
    assert arenas["default"] > arenas["cap"]
