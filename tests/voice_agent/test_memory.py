"""glibc malloc tuned: the arena cap (an explicit MALLOC_ARENA_MAX wins), and the trim that hands
freed memory back."""

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


FRAGMENTED = """
import ctypes, sys
from voice_agent import memory
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
libc.mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD as glibc raises it after large blocks are freed
libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: nothing handed back at free() (deterministic)
blocks = []
for _ in range(20):  # then buffers of 4 MB, each followed by a small block that stays
    block = libc.malloc(4 << 20)
    ctypes.memset(block, 1, 4 << 20)
    blocks += [block, libc.malloc(64)]
before = memory.resident_bytes()
for block in blocks[0::2]:
    libc.free(block)
if sys.argv[1] == "trimmed":
    memory.trim()
print((before - memory.resident_bytes()) >> 20)
"""


def test_a_trim_hands_back_freed_buffers_that_glibc_keeps() -> None:
    """80 MB of freed 4 MB heap buffers, each pinned by a small block after it, stay resident
    until a trim hands them back."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    freed = {}
    for mode in ("default", "trimmed"):
        out = subprocess.run(
            [sys.executable, "-c", FRAGMENTED, mode], capture_output=True, text=True, env=env, check=True
        )
        freed[mode] = int(out.stdout)
    assert freed["default"] < 10, freed
    assert freed["trimmed"] >= 70, freed
