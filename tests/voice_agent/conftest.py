"""A real server process (uvicorn, real models, real database) and a real WebSocket client."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import websockets

from voice_agent.llm_server import free_port
from voice_io.audio import float32_to_pcm16, load_audio

ROOT = Path(__file__).resolve().parents[2]
AUDIO = ROOT.parent / "shared" / "audio"


@dataclass
class ServerProcess:
    port: int
    data_dir: Path
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_server(
    data_dir: Path, *, port: int | None = None, timeout_s: float = 120.0, **env: str
) -> ServerProcess:
    port = port or free_port()
    log = data_dir / f"server-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "VOICE_AGENT_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **env}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_agent", "serve", "--port", str(port), "--log-level", "info"],
        cwd=ROOT,
        env=full_env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = ServerProcess(port=port, data_dir=data_dir, proc=proc, log=log, env=env)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.http_url}/healthz", timeout=1.0).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop(signal.SIGKILL)
    raise RuntimeError(f"server not ready: {log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def rules_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The embedded speech stack with the `rules` brain (no LLM): fast and deterministic."""
    server = start_server(tmp_path_factory.mktemp("rules-server"), VOICE_AGENT_LLM="rules")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The full embedded default: Silero + Whisper tiny.en + SmolLM2 + Piper.

    PORT and HOST are set as hosting platforms set them: the app and its llama.cpp child must
    both ignore them (the child once bound PORT instead of its own port).
    """
    server = start_server(
        tmp_path_factory.mktemp("embedded-server"),
        timeout_s=300.0,  # the LLM's self-test on a busy machine
        VOICE_AGENT_LLM="embedded",
        PORT="9",
        HOST="0.0.0.0",
        # the model's remark gets all the time it needs: on a busy machine it is slower than the lead
        VOICE_AGENT_LLM_SENTENCE_S="120",
        VOICE_AGENT_LLM_PACE_TO_SPEECH="false",
    )
    yield server
    server.stop()


def speech(name: str = "jfk.flac") -> np.ndarray:
    return load_audio(AUDIO / name, 16_000)


def pcm16(samples: np.ndarray) -> bytes:
    return float32_to_pcm16(samples)


class Client:
    """A protocol client that records everything in order, with a real-time audio streamer."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.items: list[tuple[float, str, Any]] = []
        self._reader: asyncio.Task[None] | None = None
        self.new_item = asyncio.Event()

    async def __aenter__(self) -> Client:
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._reader is not None
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        async for frame in self.ws:
            if isinstance(frame, bytes):
                self.items.append((time.monotonic(), "audio", frame))
            else:
                self.items.append((time.monotonic(), "json", json.loads(frame)))
            self.new_item.set()

    async def send(self, **message: Any) -> None:
        await self.ws.send(json.dumps(message))

    def messages(self, kind: str) -> list[dict[str, Any]]:
        return [m for _, t, m in self.items if t == "json" and m["type"] == kind]

    async def wait_for(self, kind: str, timeout: float = 60.0, **match: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages(kind):
                if all(message.get(k) == v for k, v in match.items()):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [m["type"] if t == "json" else "audio" for _, t, m in self.items][-40:]
                raise AssertionError(f"no {kind} {match} in {seen}")
            self.new_item.clear()
            try:
                await asyncio.wait_for(self.new_item.wait(), timeout=min(remaining, 0.5))
            except TimeoutError:
                pass

    async def stream(self, samples: np.ndarray, *, frame_ms: int = 20, realtime: bool = True) -> None:
        size = 16 * frame_ms
        start = time.monotonic()
        for n, i in enumerate(range(0, len(samples), size)):
            await self.ws.send(pcm16(samples[i : i + size]))
            if realtime:
                delay = start + (n + 1) * frame_ms / 1000 - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)

    def audio_frames_after(self, index_of: tuple[float, str, Any]) -> int:
        i = self.items.index(index_of)
        return sum(1 for _, t, _ in self.items[i + 1 :] if t == "audio")


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * 16_000), dtype=np.float32)


async def connect(server: ServerProcess, **kwargs: Any) -> Any:
    return await websockets.connect(server.ws_url, max_size=None, **kwargs)
