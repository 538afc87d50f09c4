"""`make bench` / `voice-agent bench`: real spoken turns, in real time, over a real WebSocket.

A background "microphone" streams 20 ms frames continuously (speech when a turn is queued, silence
otherwise), like the browser does. For each turn it measures voice-to-voice on the client (end of
user speech sent → first agent audio frame received) and collects the server's `turn.metrics`
waterfall; then it barges in on agent speech and measures speech onset → `interrupted`. It also
reports the VAD cost per window and the storage write cost per turn (SQLite, PostgreSQL).
Medians and p95 from one run; 2-core CPUs are noisy, so compare ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from bench.report import table
from bench.stats import percentile
from bench.twilio_bench import converse_twilio
from voice_io.audio import float32_to_pcm16

ROOT = Path(__file__).resolve().parent.parent
AUDIO = ROOT.parent / "shared" / "audio"
RATE = 16_000
FRAME_MS = 20

# (start, end) seconds of sentences in silero_test.wav (see shared/audio/silero_test.txt)
SILERO_TURNS = [(0.0, 7.0), (9.3, 18.2), (18.3, 26.5), (29.3, 36.9), (42.0, 47.0), (48.8, 54.5)]


def summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"p50": None, "p95": None, "n": 0}
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


def load_turns() -> list[np.ndarray]:
    from voice_io.audio import load_audio

    lecture = load_audio(AUDIO / "silero_test.wav", RATE)
    turns = [lecture[int(a * RATE) : int(b * RATE)] for a, b in SILERO_TURNS]
    turns.insert(0, load_audio(AUDIO / "jfk.flac", RATE))
    return turns


def speech_onset_s(samples: np.ndarray) -> float:
    """Where speech starts in a clip (offline Silero, as faster-whisper runs it)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=300, speech_pad_ms=0))
    return stamps[0]["start"] / RATE if stamps else 0.0


class Mic:
    """Streams queued speech, else silence, in real time; remembers when each clip's samples left."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.queue: deque[tuple[np.ndarray, asyncio.Future[float]]] = deque()

    def say(self, samples: np.ndarray) -> asyncio.Future[float]:
        """Queue a clip; the future gives the monotonic time its first sample was sent."""
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.queue.append((samples, fut))
        return fut

    async def run(self) -> None:
        size = RATE * FRAME_MS // 1000
        current: np.ndarray | None = None
        pos = 0
        start = time.monotonic()
        n = 0
        while True:
            if current is None and self.queue:
                current, fut = self.queue.popleft()
                pos = 0
                fut.set_result(time.monotonic())
            if current is not None:
                frame = current[pos : pos + size]
                pos += size
                if pos >= len(current):
                    current = None
                if len(frame) < size:
                    frame = np.concatenate([frame, np.zeros(size - len(frame), dtype=np.float32)])
            else:
                frame = np.zeros(size, dtype=np.float32)
            await self.ws.send(float32_to_pcm16(frame))
            n += 1
            delay = start + n * FRAME_MS / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)


class Recorder:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.items: list[tuple[float, str, Any]] = []
        self.changed = asyncio.Event()

    async def run(self) -> None:
        async for frame in self.ws:
            kind = "audio" if isinstance(frame, bytes) else "json"
            self.items.append((time.monotonic(), kind, frame if kind == "audio" else json.loads(frame)))
            self.changed.set()

    def find(self, kind: str, since: float = 0.0, **match: Any) -> tuple[float, dict[str, Any]] | None:
        for t, k, m in self.items:
            if (
                k == "json"
                and t >= since
                and m["type"] == kind
                and all(m.get(a) == b for a, b in match.items())
            ):
                return t, m
        return None

    async def wait(
        self, kind: str, since: float = 0.0, timeout: float = 60.0, **match: Any
    ) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while (found := self.find(kind, since, **match)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {kind} {match}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), 0.5)
            except TimeoutError:
                pass
        return found

    def first_audio_after(self, t0: float) -> float | None:
        return next((t for t, k, _ in self.items if k == "audio" and t > t0), None)

    async def idle(self, timeout: float = 90.0) -> None:
        """Until every agent utterance has ended or been interrupted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            starts = {
                m["utterance_id"]
                for _, k, m in self.items
                if k == "json" and m["type"] == "agent.audio_start"
            }
            done = {
                m["utterance_id"]
                for _, k, m in self.items
                if k == "json" and m["type"] in ("agent.audio_end", "interrupted")
            }
            if starts <= done:
                await asyncio.sleep(0.3)
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("agent never finished speaking")


READY = "I'm ready."
"""The interview's greeting asks whether the candidate is ready; question 1 comes after their word."""


async def say_ready(ws: Any, rec: Recorder, timeout: float = 120.0) -> None:
    """Answer the interview's readiness question with a typed turn and wait for question 1 to be
    spoken: the measured spoken turns that follow are answers to questions, as before the
    readiness turn existed (a typed turn has no voice-to-voice to measure)."""
    sent = time.monotonic()
    await ws.send(json.dumps({"type": "text", "text": READY}))
    await rec.wait("agent.audio_start", since=sent, timeout=timeout)
    await rec.idle()


async def converse(url: str, turns: int) -> dict[str, Any]:
    import websockets

    clips = load_turns()
    jfk = clips[0]
    jfk_onset = speech_onset_s(jfk)
    v2v: list[float] = []
    stages: dict[str, list[float]] = {}
    barge: list[float] = []
    missed = 0
    async with websockets.connect(url, max_size=None) as ws:
        rec, mic = Recorder(ws), Mic(ws)
        tasks = [asyncio.create_task(rec.run()), asyncio.create_task(mic.run())]
        try:
            await ws.send(
                json.dumps(
                    {
                        "type": "session.start",
                        "workflow": "interview",
                        "thread_id": None,
                        "options": {"role": "backend engineer", "questions": 10},
                    }
                )
            )
            await rec.wait("session.started")
            await rec.wait("agent.audio_start", timeout=120)
            await rec.idle()
            await say_ready(ws, rec)
            for i in range(turns):
                clip = clips[i % len(clips)]
                sent_at = await mic.say(clip)
                speech_end = sent_at + len(clip) / RATE
                await asyncio.sleep(len(clip) / RATE)
                # the answer to the clip's last words: the last final transcript after the clip started
                t_start = None
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    finals = [
                        m
                        for t, k, m in rec.items
                        if k == "json" and t >= sent_at and m["type"] == "transcript" and m["final"]
                    ]
                    found = finals and rec.find(
                        "agent.audio_start", since=speech_end - 1.0, turn_id=finals[-1]["turn_id"]
                    )
                    if found:
                        t_start, final = found[0], finals[-1]
                        break
                    await asyncio.sleep(0.1)
                if t_start is None:
                    missed += 1
                    await rec.idle()
                    continue
                _, metrics = await rec.wait("turn.metrics", turn_id=final["turn_id"], timeout=30)
                first = rec.first_audio_after(t_start)
                if first is not None and first > speech_end:
                    v2v.append((first - speech_end) * 1000)
                for key, value in metrics.items():
                    if key.endswith("_ms") and isinstance(value, int | float):
                        stages.setdefault(key, []).append(float(value))
                # barge in on every other reply, 0.8 s after its audio starts
                if i % 2 == 1:
                    await asyncio.sleep(0.8)
                    utt = rec.find("agent.audio_start", since=t_start)
                    if utt and rec.find("agent.audio_end", utterance_id=utt[1]["utterance_id"]) is None:
                        sent = await mic.say(jfk[: int(3.0 * RATE)])
                        onset = sent + jfk_onset
                        try:
                            t_int, _ = await rec.wait(
                                "interrupted", since=sent, timeout=10, utterance_id=utt[1]["utterance_id"]
                            )
                            barge.append((t_int - onset) * 1000)
                        except TimeoutError:
                            pass
                        await asyncio.sleep(3.5)
                await rec.idle()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "turns": turns,
        "turns_without_answer": missed,
        "voice_to_voice_ms": summary(v2v),
        "barge_in_ms": summary(barge),
        "stages_ms": {k: summary(v) for k, v in sorted(stages.items())},
    }


def run_bench(*, turns: int, url: str | None) -> dict[str, Any]:
    from bench.vad_cost import measure as vad_measure

    result: dict[str, Any] = {}
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.voice_agent.conftest import start_server

        with tempfile.TemporaryDirectory() as tmp:
            server = start_server(Path(tmp))
            try:
                result["conversation"] = asyncio.run(converse(server.ws_url, turns))
                result["twilio"] = asyncio.run(converse_twilio(server.http_url, load_turns(), turns))
            finally:
                server.stop()
    else:
        result["conversation"] = asyncio.run(converse(url, turns))
        http = url.replace("ws://", "http://").replace("wss://", "https://").removesuffix("/ws")
        result["twilio"] = asyncio.run(converse_twilio(http, load_turns(), turns))
    result["vad"] = vad_measure()
    from bench.storage_cost import run as storage_run

    result["storage"] = storage_run(turns=30, postgres="postgresql://postgres@127.0.0.1:5432/test")
    return result


def main(
    *, turns: int = 6, url: str | None = None, as_json: bool = False, output: Path | None = None
) -> None:
    result = run_bench(turns=turns, url=url)
    text = json.dumps(result, indent=2)
    if output:
        output.write_text(text)
    print(text if as_json else table(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--url")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    main(turns=args.turns, url=args.url, as_json=args.json, output=args.output)
