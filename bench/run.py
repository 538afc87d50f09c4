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
from pathlib import Path
from typing import Any

import numpy as np

from bench.client import RATE, Mic, Recorder, say_ready
from bench.observed import leaked_frames, server_llm_outcome
from bench.report import table
from bench.stats import percentile
from bench.twilio_bench import converse_twilio

ROOT = Path(__file__).resolve().parent.parent
AUDIO = ROOT.parent / "shared" / "audio"

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


async def converse(url: str, turns: int) -> dict[str, Any]:
    import websockets

    clips = load_turns()
    jfk = clips[0]
    jfk_onset = speech_onset_s(jfk)
    v2v: list[float] = []
    stages: dict[str, list[float]] = {}
    barge: list[float] = []
    per_turn: list[dict[str, Any]] = []
    missed = 0
    leaked = 0
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
                per_turn.append({
                    "clip_s": round(len(clip) / RATE, 2),
                    "heard": final["text"],
                    "v2v_ms": None if first is None else round((first - speech_end) * 1000),
                    **{k: v for k, v in metrics.items() if k not in ("type", "turn_id")},
                })  # fmt: skip
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
                            per_turn[-1]["barge_in_ms"] = round(barge[-1])
                            vad = rec.find("vad", since=sent, event="speech_start")
                            per_turn[-1]["vad_start_ms"] = (
                                None if vad is None else round((vad[0] - onset) * 1000)
                            )
                        except TimeoutError:
                            pass
                        await asyncio.sleep(3.5)
                await rec.idle()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            leaked = leaked_frames(rec)
    return {
        "turns": turns,
        "turns_without_answer": missed,
        "voice_to_voice_ms": summary(v2v),
        "barge_in_ms": summary(barge),
        "frames_leaked": leaked,
        "stages_ms": {k: summary(v) for k, v in sorted(stages.items())},
        "per_turn": per_turn,
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
                result["llm"] = server_llm_outcome(server.http_url, server.log)
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
