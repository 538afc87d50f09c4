"""A child process that is clean and never outlives the app (used for the llama.cpp server)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
from collections.abc import Callable, Mapping

from voice_agent.memory import malloc_env

ENV_ALLOWED = ("PATH", "HOME", "USER", "LANG", "LANGUAGE", "TZ", "TMPDIR", "LD_LIBRARY_PATH")
ENV_ALLOWED_PREFIXES = ("LC_", "OPENBLAS_", "MALLOC_")
PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def child_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child's environment: the allow-list only (llama-cpp-python reads PORT, HOST, MODEL, …),
    plus the app's malloc settings (`voice_agent.memory`; an explicit one is passed on as set)."""
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items() if k in ENV_ALLOWED or k.startswith(ENV_ALLOWED_PREFIXES)}
    return env | malloc_env(env)


def die_with_parent(parent_pid: int, *, niceness: int = 0, idle: bool = False) -> Callable[[], None]:
    """A `preexec_fn`: the child gets SIGKILL when the thread that started it dies (even by SIGKILL),
    and runs `niceness` steps below the app's CPU priority. With `idle`, its threads are also under
    Linux's `SCHED_IDLE` policy: they run only on a core nothing else wants, and any other thread
    that wakes takes the core from them at once (a niceness alone still gives them time slices)."""

    def preexec() -> None:  # runs in the child between fork and exec
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)
        if niceness:
            os.nice(niceness)
        if idle and hasattr(os, "SCHED_IDLE"):
            with contextlib.suppress(OSError):
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    return preexec
