"""An OpenAI-compatible speech server for tests, backed by the embedded engines: the same API a
remote pool (speaches, LocalAI, a Kokoro server) speaks, run in-process on a free port.

- `POST /v1/audio/transcriptions` (multipart `file` WAV, `model`, `language`, `prompt`,
  `response_format` json | verbose_json, `timestamp_granularities[]=word`) -> faster-whisper tiny.en
- `POST /v1/audio/speech` (JSON `input`, `voice`, `response_format=pcm`) -> Piper, resampled to
  24 kHz s16le and streamed as it is synthesised.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from voice_agent.child_process import free_port
from voice_io.audio import StreamResampler, float32_to_pcm16, pcm16_to_float32
from voice_io.stt.faster_whisper_stt import FasterWhisperSTT
from voice_io.tts.piper_tts import PiperTTS

PCM_RATE = 24_000


@dataclass
class SpeechServer:
    url: str
    requests: list[str] = field(default_factory=list)


def build_app(stt: FasterWhisperSTT, tts: PiperTTS, log: list[str]) -> Starlette:
    async def transcriptions(request: Request) -> Response:
        log.append("transcriptions")
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return JSONResponse({"error": {"message": "file is required"}}, status_code=400)
        with wave.open(io.BytesIO(await upload.read()), "rb") as wav:
            if wav.getframerate() != 16_000 or wav.getnchannels() != 1:
                return JSONResponse({"error": {"message": "16 kHz mono expected"}}, status_code=400)
            samples = pcm16_to_float32(wav.readframes(wav.getnframes()))
        words = form.get("timestamp_granularities[]") == "word"
        prompt = form.get("prompt")
        result = await stt.transcribe(
            samples, prompt=prompt if isinstance(prompt, str) else None, word_timestamps=words
        )
        body: dict[str, object] = {
            "text": result.text,
            "language": result.language,
            "duration": result.audio_s,
        }
        if words:
            body["words"] = [
                {"word": w.text, "start": w.start, "end": w.end, "probability": w.probability}
                for w in result.words
            ]
        return JSONResponse(body)

    async def speech(request: Request) -> Response:
        log.append("speech")
        body = await request.json()
        if body.get("response_format") != "pcm" or not str(body.get("input", "")).strip():
            return JSONResponse({"error": {"message": "pcm and a non-empty input"}}, status_code=400)

        async def stream() -> AsyncIterator[bytes]:
            resampler = StreamResampler(tts.sample_rate, PCM_RATE)
            async for pcm in tts.synthesize(str(body["input"])):
                out = resampler.process_pcm16(pcm)
                if out.size:
                    yield float32_to_pcm16(out)
            tail = resampler.flush()
            if tail.size:
                yield float32_to_pcm16(tail)

        return StreamingResponse(stream(), media_type="audio/pcm")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
            Route("/v1/audio/speech", speech, methods=["POST"]),
        ]
    )


@contextmanager
def running_speech_server() -> Iterator[SpeechServer]:
    """The server in its own process (a remote pool in miniature), stopped on exit.

    `requests` is read back from its log of served routes when the block ends.
    """
    port = free_port()
    root = Path(__file__).resolve().parents[3]
    log_path = Path(tempfile.mkstemp(prefix="speech-server-", suffix=".log")[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.voice_io.remote.speech_server", str(port), str(log_path)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    server = SpeechServer(url=f"http://127.0.0.1:{port}/v1")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the test speech server exited"
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        server.requests.extend(log_path.read_text().split())
        log_path.unlink(missing_ok=True)


def main(port: int, log_path: str) -> None:
    log = RouteLog(Path(log_path))
    app = build_app(FasterWhisperSTT.load("tiny.en"), PiperTTS.load(), log)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


class RouteLog(list[str]):
    """The served routes, also appended to a file that the test process reads."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def append(self, route: str) -> None:
        super().append(route)
        with self.path.open("a") as out:
            out.write(route + "\n")


def rms(pcm: bytes) -> float:
    samples = pcm16_to_float32(pcm)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
