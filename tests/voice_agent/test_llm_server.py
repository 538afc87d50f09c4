"""The embedded LLM server: a real completion before "ready", a clean child environment, a child
that dies with its parent, a death noticed and restarted, and failures explained in one line."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from voice_agent.child_process import child_env
from voice_agent.llm_probe import explain_exit
from voice_agent.llm_server import NICENESS, LlamaServer, LLMServerError, embedded_gguf_path, fitted_threads
from voice_agent.memory import malloc_env, resident_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_child_env_drops_what_changes_the_servers_behaviour() -> None:
    env = child_env(
        {"PATH": "/bin", "HOME": "/root", "LC_ALL": "C", "PORT": "9000", "HOST": "0.0.0.0",
         "MODEL": "/x.gguf", "N_CTX": "10", "OPENAI_API_KEY": "k", "VOICE_AGENT_PORT": "1"}
    )  # fmt: skip
    assert env == {"PATH": "/bin", "HOME": "/root", "LC_ALL": "C", **malloc_env({})}
    assert malloc_env({}) == {"MALLOC_ARENA_MAX": "2"}


def test_the_child_gets_the_apps_malloc_settings_and_an_explicit_one_wins() -> None:
    assert child_env({"PATH": "/bin"})["MALLOC_ARENA_MAX"] == "2"
    env = child_env({"PATH": "/bin", "MALLOC_ARENA_MAX": "8", "MALLOC_TRIM_THRESHOLD_": "0"})
    assert env["MALLOC_ARENA_MAX"] == "8" and env["MALLOC_TRIM_THRESHOLD_"] == "0"


@pytest.mark.parametrize(
    ("code", "log", "expected"),
    [
        (-signal.SIGILL, "", "illegal instruction"),
        (-signal.SIGSEGV, "", "corrupt model file"),
        (-signal.SIGKILL, "", "out of memory"),
        (1, "llama_model_load: error loading model: failed to load model", "could not load the model"),
        (2, "", "exited with status 2"),
    ],
)
def test_failures_are_explained_with_the_switch(code: int, log: str, expected: str) -> None:
    line = explain_exit(code, log)
    assert expected in line
    assert "VOICE_AGENT_LLM=rules" in line and "\n" not in line


@pytest.mark.models
async def test_ready_means_a_real_completion_and_port_comes_only_from_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # hosting platforms set PORT/HOST; llama-cpp-python's settings would take them over --port
    monkeypatch.setenv("PORT", "9")
    monkeypatch.setenv("HOST", "0.0.0.0")
    async with LlamaServer(embedded_gguf_path()) as server:
        assert server.state == "ready"
        assert server.self_test_ms is not None and server.self_test_ms > 0
        async with httpx.AsyncClient(timeout=60) as client:
            reply = await client.post(
                f"{server.base_url}/chat/completions",
                json={"model": server.alias, "max_tokens": 12,
                      "messages": [{"role": "user", "content": "Say hello to the candidate."}]},
            )  # fmt: skip
        assert reply.json()["choices"][0]["message"]["content"].strip()
        # fitted to the cores and behind STT/TTS: its threads as asked, its priority below the app's
        assert server.pid is not None
        cmdline = (await asyncio.to_thread(Path(f"/proc/{server.pid}/cmdline").read_bytes)).split(b"\0")
        n_threads, n_batch = fitted_threads()
        assert cmdline[cmdline.index(b"--n_threads") + 1] == str(n_threads).encode()
        assert cmdline[cmdline.index(b"--n_threads_batch") + 1] == str(n_batch).encode()
        assert os.getpriority(os.PRIO_PROCESS, server.pid) == os.getpriority(os.PRIO_PROCESS, 0) + NICENESS
        assert os.sched_getscheduler(server.pid) == os.SCHED_IDLE  # any other thread takes its core


@pytest.mark.models
async def test_a_long_conversation_does_not_grow_the_llms_memory() -> None:
    """With llama-cpp-python's default (logits kept for every prompt token) a 1,000-token prompt
    left the child about 300 MB larger, and each longer conversation grew it further."""
    async with LlamaServer(embedded_gguf_path()) as server:
        assert server.pid is not None
        before = resident_bytes(server.pid) / 2**20
        answer = "I designed a cache for a busy web service, with eviction by least recent use. " * 60
        async with httpx.AsyncClient(timeout=120) as client:
            reply = await client.post(
                f"{server.base_url}/chat/completions",
                json={"model": server.alias, "max_tokens": 8,
                      "messages": [{"role": "user", "content": answer}]},
            )  # fmt: skip
        body = reply.json()
        assert body["usage"]["prompt_tokens"] >= 900 and body["choices"][0]["message"]["content"].strip()
        assert resident_bytes(server.pid) / 2**20 - before < 80


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


async def test_the_llm_is_stopped_while_speech_is_transcribed_and_answers_after() -> None:
    """Under load its slices stalled Whisper's threads (4 sessions: decodes of 2-5 s instead of
    0.4 s); its work comes after the transcript anyway."""
    from voice_io import workers

    async with LlamaServer(embedded_gguf_path()) as server:
        assert server.pid is not None
        gate = threading.Event()
        decode = asyncio.create_task(workers.run_in("stt", gate.wait))
        await asyncio.sleep(0.2)
        assert _state(server.pid) == "T"  # stopped
        async with httpx.AsyncClient(timeout=60) as client:
            ask = asyncio.create_task(client.post(
                f"{server.base_url}/chat/completions",
                json={"model": server.alias, "max_tokens": 8,
                      "messages": [{"role": "user", "content": "Say hello."}]},
            ))  # fmt: skip
            await asyncio.sleep(0.5)
            assert not ask.done()  # waits for the decode to finish
            gate.set()
            await decode
            reply = await ask
        assert reply.json()["choices"][0]["message"]["content"].strip()
        assert _state(server.pid) != "T"
    # stopped and unregistered: a later decode signals nothing
    await workers.run_in("stt", lambda: None)


def test_threads_are_fitted_to_the_cores() -> None:
    assert fitted_threads(1) == (1, 1)
    assert fitted_threads(2) == (1, 2)  # Whisper or Piper keeps a core while the LLM writes
    assert fitted_threads(16) == (4, 4)  # a 135M model gains little beyond 4


@pytest.mark.models
async def test_a_corrupt_model_file_fails_the_start_in_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(embedded_gguf_path().read_bytes()[:4096])
    server = LlamaServer(bad, start_timeout_s=60)
    with pytest.raises(LLMServerError) as failure:
        await server.start()
    message = str(failure.value)
    assert "embedded LLM failed" in message and "VOICE_AGENT_LLM=rules" in message, message
    assert server.state == "failed" and server.pid is None


@pytest.mark.models
async def test_a_death_mid_session_is_noticed_at_once_and_restarted() -> None:
    downs: list[str] = []
    ups: list[float] = []
    async with LlamaServer(
        embedded_gguf_path(), on_down=downs.append, on_up=lambda: ups.append(time.monotonic())
    ) as server:
        first_pid = server.pid
        assert first_pid is not None
        os.kill(first_pid, signal.SIGILL)  # what an unsupported instruction does to it
        for _ in range(300):
            if downs:
                break
            await asyncio.sleep(0.05)
        assert len(downs) == 1 and "illegal instruction" in downs[0], downs
        assert server.health()["state"] == "restarting"
        for _ in range(4800):  # a deadline, not a timing: the self-test is slow on a busy machine
            if ups:
                break
            await asyncio.sleep(0.05)
        assert ups, server.health()
        assert server.state == "ready" and server.restarts == 1 and server.pid != first_pid


PARENT = textwrap.dedent(
    """
    import asyncio, sys
    from voice_agent.llm_server import LlamaServer, embedded_gguf_path

    async def main():
        server = LlamaServer(embedded_gguf_path(), self_test_timeout_s=120)
        await server.start()
        print(server.pid, flush=True)
        await asyncio.sleep(600)

    asyncio.run(main())
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead; it only waits to be reaped
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.models
def test_the_child_never_outlives_an_app_killed_with_sigkill() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline()
        child = int(line)
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), f"llama.cpp child {child} outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
