"""Whisper's full 30 s encoder window against the fitted one (`voice_io.stt.window`).

`python -m bench.stt_window [--json]`: tiny.en through `FasterWhisperSTT` (the fitted engine with its
looped-output retry, and `window_s=0`), with word timestamps as final transcripts are decoded, over
real speech (JFK; the lecture in /work/shared/audio cut at its transcript's line and turn times,
plus two turns joined as a carried turn) and the 12 Piper sentences of `bench.endpoint`. It reports
the pooled word error rate against the transcripts, and the decode time (best of two), p50/p90.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import jiwer
import numpy as np

from bench.endpoint_speech import SENTENCES, piper_say
from bench.run import AUDIO, SILERO_TURNS
from bench.stats import percentile
from voice_io.audio import load_audio
from voice_io.protocols import INPUT_RATE, Float32Array
from voice_io.stt import FasterWhisperSTT

JFK = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
WORDS = jiwer.Compose([
    jiwer.ToLowerCase(), jiwer.SubstituteWords({"%": " percent"}), jiwer.RemovePunctuation(),
    jiwer.RemoveMultipleSpaces(), jiwer.Strip(), jiwer.ReduceToListOfListOfWords(),
])  # fmt: skip


def corpus() -> list[tuple[str, Float32Array, str]]:
    """(name, 16 kHz audio, reference) for every clip."""
    lecture = load_audio(AUDIO / "silero_test.wav", INPUT_RATE)
    lines = []
    for row in (AUDIO / "silero_test.txt").read_text().splitlines():
        span, text = row.split("\t")
        start, end = map(float, span.split("-"))
        lines.append((start, end, text))

    def cut(start: float, end: float) -> tuple[Float32Array, str]:
        said = " ".join(t for s, e, t in lines if s >= start - 0.05 and e <= end + 0.05)
        return lecture[int(start * INPUT_RATE) : int(end * INPUT_RATE)], said

    clips = [("jfk", load_audio(AUDIO / "jfk.flac", INPUT_RATE), JFK)]
    clips += [(f"turn {a:g}-{b:g} s", *cut(a, b)) for a, b in SILERO_TURNS]
    clips += [(f"line {s:g}-{e:g} s", *cut(s, e)) for s, e, _ in lines[:-1]]  # the last line is cut off
    (a1, b1), (a2, b2) = SILERO_TURNS[:2]
    (first, said1), (second, said2) = cut(a1, b1), cut(a2, b2)
    clips.append(("two turns carried", np.concatenate([first, second]), f"{said1} {said2}"))
    clips += [
        (f"piper {i + 1}", audio, text)
        for i, (text, audio) in enumerate(zip(SENTENCES, piper_say(list(SENTENCES)), strict=True))
    ]
    return clips


async def measure(stt: FasterWhisperSTT, clips: list[tuple[str, Float32Array, str]]) -> dict[str, Any]:
    errors = words = 0
    times: list[float] = []
    worst: list[tuple[float, str, str]] = []
    for name, audio, reference in clips:
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            transcript = await stt.transcribe(audio, word_timestamps=True)
            best = min(best, time.perf_counter() - started)
        out = jiwer.process_words(
            reference, transcript.text or "-", reference_transform=WORDS, hypothesis_transform=WORDS
        )
        n = len(WORDS(reference)[0])
        errors += round(out.wer * n)
        words += n
        times.append(best * 1000)
        worst.append((out.wer, name, transcript.text))
    worst.sort(reverse=True)
    return {
        "clips": len(clips),
        "wer": round(errors / words, 4),
        "decode_ms": {
            "p50": round(percentile(times, 50)),
            "p90": round(percentile(times, 90)),
            "max": round(max(times)),
        },
        "worst": [{"clip": n, "wer": round(w, 2), "heard": t} for w, n, t in worst[:3]],
    }


def run() -> dict[str, Any]:
    clips = corpus()
    result: dict[str, Any] = {}
    for label, window_s in (("full 30 s window", 0), ("fitted 10 s windows", 10)):
        stt = FasterWhisperSTT.load("tiny.en", "en", 2, window_s=window_s)
        FasterWhisperSTT.window_retries = 0
        result[label] = asyncio.run(measure(stt, clips))
        result[label]["full_window_retries"] = FasterWhisperSTT.window_retries
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for label, r in result.items():
            d = r["decode_ms"]
            print(
                f"{label}: {r['clips']} clips, WER {r['wer']:.1%}, decode p50 {d['p50']} ms, "
                f"p90 {d['p90']} ms, "
                f"max {d['max']} ms, full-window retries {r['full_window_retries']}"
            )
