"""Fixtures for the browser tests: the real server in a subprocess, real headless Chromium with a
WAV file as the microphone (recipe: /work/shared/browser-testing.md), and test audio.

Requirements: Debian's `chromium` at /usr/bin/chromium (or $CHROMIUM) and the `playwright`
Python package. Never `playwright install`: the system Chromium is used. Missing either skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AUDIO_DIRS = [
    Path(os.environ.get("VOICE_AGENT_TEST_AUDIO", REPO.parent / "shared" / "audio")),
    Path("/work/shared/audio"),
]
JFK = next((d / "jfk.flac" for d in AUDIO_DIRS if (d / "jfk.flac").exists()), AUDIO_DIRS[0] / "jfk.flac")
RATE = 16000
STARTUP_TIMEOUT_S = 240.0


@pytest.fixture(scope="session", autouse=True)
def _browser_available() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make chromium` (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")


# ---------------------------------------------------------------- the real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """`voice-agent serve` in a subprocess; restartable on the same port and data dir."""

    port: int
    data_dir: Path
    llm: str = "rules"
    env: dict[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Server:
        env = {
            **os.environ,
            "VOICE_AGENT_DATA_DIR": str(self.data_dir),
            "VOICE_AGENT_LLM": self.llm,
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        self.log_path = self.data_dir / f"server-{time.monotonic_ns()}.log"
        log = self.log_path.open("wb")
        command = [sys.executable, "-m", "voice_agent.cli", "serve"]
        self.proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            time.sleep(0.3)
        raise TimeoutError(f"server not ready after {STARTUP_TIMEOUT_S} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, chars: int = 4000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]

    def get_json(self, path: str) -> object:
        import json

        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def make(
        *, llm: str = "rules", env: dict[str, str] | None = None, data_dir: Path | None = None
    ) -> Server:
        data = data_dir or tmp_path / f"data-{len(servers)}"
        data.mkdir(parents=True, exist_ok=True)
        server = Server(port=free_port(), data_dir=data, llm=llm, env=env or {})
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(server_factory: Callable[..., Server]) -> Server:
    """The real server with the rules brain (no LLM needed)."""
    return server_factory()


# ---------------------------------------------------------------- audio


def write_wav(path: Path, pcm: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return path


def decode_16k_mono(path: Path) -> np.ndarray:
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks: list[np.ndarray] = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
    chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(chunks).astype(np.int16)


@pytest.fixture
def speech_wav(tmp_path: Path) -> Path:
    """JFK's sentence, 16 kHz mono 16-bit, with 1 s of silence before and 3 s after."""
    if not JFK.exists():
        pytest.fail(f"missing {JFK}: shared/audio must sit beside the repository")
    speech = decode_16k_mono(JFK)
    silence = np.zeros(RATE, dtype=np.int16)
    return write_wav(tmp_path / "speech.wav", np.concatenate([silence, speech, silence, silence, silence]))


@pytest.fixture
def silent_wav(tmp_path: Path) -> Path:
    """A silent microphone (Chromium's default fake device beeps, which the VAD would hear)."""
    return write_wav(tmp_path / "silence.wav", np.zeros(RATE, dtype=np.int16))


# ---------------------------------------------------------------- the browser


@pytest.fixture
def browser_factory() -> Iterator[Callable[[Path], object]]:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browsers: list[object] = []

    def launch(mic_wav: Path | None) -> object:
        """`mic_wav` None: no permission prompt answer, so the page is denied the microphone."""
        mic = (
            ["--use-fake-ui-for-media-stream", f"--use-file-for-fake-audio-capture={mic_wav}%noloop"]
            if mic_wav
            else []
        )
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *mic,
                "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        with contextlib.suppress(Exception):
            browser.close()  # type: ignore[attr-defined]
    pw.stop()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
