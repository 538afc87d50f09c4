"""Samples a server process from /proc: resident memory (with its children, e.g. the llama.cpp
server; also the server's own, and its anonymous part), open file descriptors and threads, plus the
asyncio task count from its `/healthz`."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        found += [int(c) for c in children]
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        try:
            todo += _children(current)
        except FileNotFoundError:
            continue
    return tree


class ProcessSampler:
    """Call `sample()` for one reading, or run `run()` as a task to sample every `interval_s`."""

    def __init__(self, pid: int, *, health_url: str | None = None, interval_s: float = 2.0) -> None:
        self.pid = pid
        self.health_url = health_url
        self.interval_s = interval_s
        self.started = time.monotonic()
        self.samples: list[dict[str, float]] = []

    def sample(self) -> dict[str, float]:
        rss_kb = 0
        for pid in process_tree(self.pid):
            try:
                rss_kb += int(_status(pid).get("VmRSS", "0 kB").split()[0])
            except (FileNotFoundError, ValueError):
                continue
        status = _status(self.pid)

        def mb(key: str) -> float:
            return int(status.get(key, "0 kB").split()[0]) / 1024

        reading: dict[str, float] = {
            "t_s": round(time.monotonic() - self.started, 1),
            "rss_mb": rss_kb / 1024,
            "server_rss_mb": mb("VmRSS"),
            "server_anon_mb": mb("RssAnon"),
            "fds": len(list(Path(f"/proc/{self.pid}/fd").iterdir())),
            "threads": int(status.get("Threads", "0")),
        }
        if self.health_url:
            try:
                runtime: dict[str, Any] = httpx.get(self.health_url, timeout=5).json().get("runtime", {})
                reading["tasks"] = float(runtime.get("tasks", -1))
                if "tts_cache_mb" in runtime:
                    reading["tts_cache_mb"] = float(runtime["tts_cache_mb"])
            except (httpx.HTTPError, ValueError):
                pass
        return reading

    async def run(self) -> None:
        while True:
            self.samples.append(await asyncio.to_thread(self.sample))
            await asyncio.sleep(self.interval_s)
