"""End of turn: the smart-turn model against the fixed silence, on real and synthetic speech.

    python -m bench.endpoint [--sentences N] [--json] [--output FILE]

Every sample runs through the real `TurnDetector` (Silero VAD, faster-whisper tiny.en, smart-turn
v3.2) twice: with the end-of-turn model, and without it (the VAD's fixed 480 ms silence alone).
Audio is fed frame by frame on an audio clock: before the next frame, the model's verdict and
every Whisper decode in flight are awaited, and the grace waits run on the same clock. So every
position is audio time, never wall clock, and the run is reproducible; STT then costs no audio
time, the pessimistic case for a cut-off (live, a slow decode leaves the user more time to go on
before the turn is handed over), unless `--stt-delay S` holds each result back S of audio time.

- **(a) cut off too early**: a turn handed to the brain (`UserSpeech`) that ends where no sentence
  ends; counted against the mid-sentence pauses of 200 ms or more (the model's cue to judge).
  Segment-level counts (a `speech_end` mid-sentence, which the carry or the grace may still
  rejoin) are reported too.
- **(b) endpoint delay** at the end of a sentence: last voiced audio → turn accepted
  (`endpoint_ms`), and → turn handed on (`handed_ms`: with the grace after a transcript that
  looks cut off).
- **model latency**: wall-clock time of one verdict (features + ONNX), apart: live, it is added
  to the endpoint when the endpoint is the model's.

The speech (`bench.endpoint_speech`): Piper sentences, whole and with a pause inserted mid-sentence
(0.30, 0.45, 0.70 s); `jfk.flac` and `silero_test.wav` (real speech; the lecture's sentence ends
come from its transcript's punctuation).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.endpoint_speech import PAUSES_S, SENTENCES, Sample, piper_samples, real_samples
from bench.stats import percentile
from voice_io.audio import float32_to_pcm16
from voice_io.config import SessionConfig
from voice_io.eot.smart_turn import SmartTurn
from voice_io.protocols import INPUT_RATE, STT, EndOfTurn, Float32Array, Transcript, VADEvent
from voice_io.turns import TurnDetector, TurnEvent, UserSpeech
from voice_io.vad.silero import SileroVAD

FRAME = INPUT_RATE // 50  # 20 ms
PAD_S = 0.064  # the VAD's speech padding (its default)


class TimedJudge:
    """The end-of-turn model, with each verdict's wall-clock time and audio position recorded."""

    def __init__(self, model: EndOfTurn) -> None:
        self.model = model
        self.name = model.name
        self.ms: list[float] = []
        self.position: Callable[[], float] = lambda: 0.0
        self.verdicts: list[tuple[float, float]] = []

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        started = time.perf_counter()
        p = self.model.complete_probability(audio, transcript)
        self.ms.append((time.perf_counter() - started) * 1000)
        self.verdicts.append((self.position(), p))
        return p


class AwaitedSTT:
    """The real STT; the driver awaits every decode in flight before the next frame. Its result is
    then held back `delay_s` of audio time (0: STT costs no audio time)."""

    def __init__(self, stt: STT, clock: AudioClock, delay_s: float = 0.0) -> None:
        self.name = stt.name
        self._stt = stt
        self._clock = clock
        self.delay_s = delay_s
        self.flight: set[asyncio.Task[Transcript]] = set()

    async def transcribe(
        self, audio: Float32Array, *, prompt: str | None = None, word_timestamps: bool = False
    ) -> Transcript:
        task = asyncio.ensure_future(
            self._stt.transcribe(audio, prompt=prompt, word_timestamps=word_timestamps)
        )
        self.flight.add(task)
        task.add_done_callback(self.flight.discard)
        transcript = await task  # a dropped speculative decode is cancelled with it
        if self.delay_s > 0:
            await self._clock.sleep(self.delay_s)
        return transcript

    async def drain(self) -> None:
        while self.flight:
            await asyncio.gather(*self.flight, return_exceptions=True)


class AudioClock:
    """Seconds of audio fed so far; `sleep` ends when that much more audio has been fed."""

    def __init__(self) -> None:
        self.fed = 0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.fed / INPUT_RATE

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self() + seconds, future))
        await future

    def wake(self) -> None:
        for when, future in self._sleepers:
            if when <= self() and not future.done():
                future.set_result(None)
        self._sleepers = [(w, f) for w, f in self._sleepers if not f.done()]


async def run(
    sample: Sample, *, vad: SileroVAD, stt: STT, judge: EndOfTurn | None, threshold: float, stt_delay_s: float
) -> dict[str, Any]:
    clock = AudioClock()
    awaited = AwaitedSTT(stt, clock, stt_delay_s)
    segments: list[float] = []
    turns: list[UserSpeech] = []
    handed: list[float] = []

    async def on_event(event: TurnEvent) -> None:
        if isinstance(event, VADEvent) and event.kind == "speech_end":
            segments.append(event.t - PAD_S)
        elif isinstance(event, UserSpeech):
            turns.append(event)
            handed.append(clock())

    if isinstance(judge, TimedJudge):
        judge.verdicts, judge.position = [], clock
    detector = TurnDetector(
        vad=vad.stream(),
        stt=awaited,
        sample_rate=INPUT_RATE,
        on_event=on_event,
        agent_speaking=lambda: False,
        config=SessionConfig(partial_interval_s=1e9, eot_threshold=threshold),  # partials: no effect here
        clock=clock,
        sleep=clock.sleep,
        end_of_turn=judge,
    )
    pcm = float32_to_pcm16(sample.audio)
    for start in range(0, len(pcm), FRAME * 2):
        clock.fed = min(len(pcm), start + FRAME * 2) // 2
        await detector.feed(pcm[start : start + FRAME * 2])
        for _ in range(3):  # a verdict may end the segment, whose decode may end the turn
            await detector.settle_endpoint()
            await awaited.drain()
            clock.wake()
            await asyncio.sleep(0)
    await detector.cancel()
    detector.close()
    row: dict[str, Any] = {"name": sample.name, "kind": sample.kind, "segment_cuts": 0, "cut_offs": 0}
    row.update(endpoint_ms=[], handed_ms=[], by_model=0, texts=[t.text for t in turns])
    row["segment_cuts"] = sum(not sample.at_end(t) for t in segments)
    for turn, at in zip(turns, handed, strict=True):
        end = turn.timer.speech_end or 0.0
        if not sample.at_end(end):
            row["cut_offs"] += 1
            continue
        row["endpoint_ms"].append(round(((turn.timer.accepted or end) - end) * 1000))
        row["handed_ms"].append(round((at - end) * 1000))
        row["by_model"] += turn.timer.endpoint_by == "model"
    if isinstance(judge, TimedJudge):
        row["verdicts"] = [[round(at, 2), round(p, 3)] for at, p in judge.verdicts]
    return row


def mid_pauses(sample: Sample, short: SileroVAD) -> int:
    """Pauses of 200 ms or more (the model's cue to judge) that are not at a sentence end."""
    events = short.stream().process(sample.audio)
    return sum(1 for e in events if e.kind == "speech_end" and not sample.at_end(e.t - PAD_S))


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    endpoint = [d for r in rows for d in r["endpoint_ms"]]
    handed = [d for r in rows for d in r["handed_ms"]]
    return {
        "samples": len(rows),
        "mid_pauses": sum(r["mid_pauses"] for r in rows),
        "cut_offs": sum(r["cut_offs"] for r in rows),
        "segment_cuts": sum(r["segment_cuts"] for r in rows),
        "turns_at_sentence_end": len(endpoint),
        "ended_by_model": sum(r["by_model"] for r in rows),
        "endpoint_ms_p50": round(statistics.median(endpoint)) if endpoint else None,
        "endpoint_ms_p95": round(percentile(endpoint, 95)) if endpoint else None,
        "handed_ms_p50": round(statistics.median(handed)) if handed else None,
        "handed_ms_p95": round(percentile(handed, 95)) if handed else None,
    }


async def measure(
    sentences: int = len(SENTENCES),
    threshold: float = SessionConfig().eot_threshold,
    stt_delay_s: float = 0.0,
) -> dict[str, Any]:
    from voice_io.stt.factory import load_stt

    vad, short = SileroVAD.load(), SileroVAD.load(min_silence_ms=200)
    stt = load_stt("faster-whisper", "tiny.en", "en", 2)
    judge = TimedJudge(SmartTurn.load())
    samples = [*piper_samples(sentences), *real_samples()]
    pauses = [mid_pauses(sample, short) for sample in samples]
    report: dict[str, Any] = {"threshold": threshold, "stt_delay_s": stt_delay_s, "policies": {}}
    for policy, eot in (("fixed_480ms", None), ("smart_turn", judge)):
        rows = []
        for sample, n in zip(samples, pauses, strict=True):
            rows.append(
                {
                    **await run(
                        sample, vad=vad, stt=stt, judge=eot, threshold=threshold, stt_delay_s=stt_delay_s
                    ),
                    "mid_pauses": n,
                }
            )
        groups = {
            "real": [r for r in rows if r["kind"] == "real"],
            "synthetic": [r for r in rows if r["kind"] == "synthetic"],
            "whole": [r for r in rows if r["name"].endswith("whole")],
            **{f"pause_{p:.2f}s": [r for r in rows if r["name"].endswith(f"pause{p:.2f}")] for p in PAUSES_S},
        }
        report["policies"][policy] = {name: _summary(group) for name, group in groups.items()}
        report["policies"][policy]["rows"] = rows
    report["model_ms_p50"] = round(statistics.median(judge.ms), 1) if judge.ms else None
    report["model_ms_p95"] = round(percentile(judge.ms, 95), 1) if judge.ms else None
    report["model_calls"] = len(judge.ms)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=len(SENTENCES))
    parser.add_argument("--threshold", type=float, default=SessionConfig().eot_threshold)
    parser.add_argument("--stt-delay", type=float, default=0.0, help="audio seconds each decode takes")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument("--output", type=Path, help="also write the JSON report here")
    args = parser.parse_args(argv)
    report = asyncio.run(measure(args.sentences, args.threshold, args.stt_delay))
    if args.output:
        args.output.write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for policy, groups in report["policies"].items():
        for name, summary in groups.items():
            if name != "rows":
                print(f"{policy:<12} {name:<12} {json.dumps(summary)}")
    print(f"model verdict: p50 {report['model_ms_p50']} ms, p95 {report['model_ms_p95']} ms (wall clock)")


if __name__ == "__main__":
    main()
