"""`voice-agent doctor` and the app's start-up self-test, with every model live and with the LLM
made to fail (a corrupt model file): the failure is named, the app never claims the model."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.voice_agent.conftest import ROOT, start_server
from voice_agent.llm_server import embedded_gguf_path, free_port

pytestmark = [pytest.mark.models]


def doctor(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice_agent", "doctor"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "VOICE_AGENT_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def corrupt_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gguf") / "corrupt.gguf"
    path.write_bytes(embedded_gguf_path().read_bytes()[:65536])
    return path


def test_doctor_reports_every_engine_ok(tmp_path: Path) -> None:
    result = doctor(tmp_path, VOICE_AGENT_LLM="embedded", PORT="9", HOST="0.0.0.0")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert set(lines) == {"TTS", "VAD", "STT", "EOT", "LLM"}, result.stdout
    assert all(" OK " in line for line in lines.values()), result.stdout
    assert "SmolLM2" in lines["LLM"]
    assert "smart-turn-v3.2: P(finished)" in lines["EOT"]


def test_doctor_fails_when_the_end_of_turn_model_is_dead(tmp_path: Path) -> None:
    broken = tmp_path / "smart-turn.onnx"
    broken.write_bytes(b"\x08\x07not an onnx model")
    result = doctor(tmp_path, VOICE_AGENT_LLM="rules", VOICE_AGENT_TURN_MODEL_PATH=str(broken))
    assert result.returncode == 1, result.stdout
    eot = next(line for line in result.stdout.splitlines() if line.startswith("EOT"))
    assert "FAILED" in eot and "VOICE_AGENT_TURN_MODEL=off" in eot, eot
    off = doctor(tmp_path, VOICE_AGENT_LLM="rules", VOICE_AGENT_TURN_MODEL="off")
    assert off.returncode == 0 and "EOT" not in off.stdout, off.stdout


def test_doctor_fails_when_the_model_is_dead(tmp_path: Path, corrupt_gguf: Path) -> None:
    result = doctor(tmp_path, VOICE_AGENT_LLM="embedded", VOICE_AGENT_LLM_GGUF=str(corrupt_gguf))
    assert result.returncode == 1, result.stdout
    llm = next(line for line in result.stdout.splitlines() if line.startswith("LLM"))
    assert "FAILED" in llm and "VOICE_AGENT_LLM=rules" in llm, llm
    assert "FAILED: LLM" in result.stderr


def test_app_refuses_to_start_with_a_dead_embedded_model(tmp_path: Path, corrupt_gguf: Path) -> None:
    with pytest.raises(RuntimeError) as exited:
        start_server(tmp_path, VOICE_AGENT_LLM="embedded", VOICE_AGENT_LLM_GGUF=str(corrupt_gguf))
    log = str(exited.value)
    assert "cannot start: embedded LLM failed" in log, log
    assert "VOICE_AGENT_LLM=rules" in log
    assert "embedded LLM SmolLM2" not in log and "ready:" not in log


def test_auto_mode_says_why_and_runs_the_rules_brain(tmp_path: Path, corrupt_gguf: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VOICE_AGENT_DATA_DIR": str(tmp_path),
           "VOICE_AGENT_LLM": "auto", "VOICE_AGENT_LLM_GGUF": str(corrupt_gguf)}  # fmt: skip
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_agent", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        health = None
        deadline = time.monotonic() + 180
        while health is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None, log.read_text()[-2000:]
        body = health.json()
        assert health.status_code == 503 and body["status"] == "degraded", body
        llm = body["engines"]["llm"]
        assert llm["ok"] is False and llm["provider"] == "rules" and "embedded LLM failed" in llm["error"]
        text = log.read_text()
        assert "continuing with the rules brain" in text
        assert "LLM rules (embedded LLM failed" in text  # the ready line names what really runs
    finally:
        proc.terminate()
        proc.wait(timeout=20)
