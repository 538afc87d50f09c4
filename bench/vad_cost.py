"""How much CPU the streaming Silero VAD costs per 32 ms window, on real speech.

    python -m bench.vad_cost [--audio FILE] [--repeats N] [--json]

`measure(...)` returns the numbers as a dict so the main bench can include them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.stats import percentile
from voice_io.audio import load_audio
from voice_io.protocols import INPUT_RATE, Float32Array
from voice_io.vad import WINDOW_SAMPLES, SileroVAD

DEFAULT_AUDIO = Path("/work/shared/audio/silero_test.wav")
WINDOW_MS = WINDOW_SAMPLES / INPUT_RATE * 1000


def _speech(audio_path: str | Path | None) -> tuple[Float32Array, str]:
    if audio_path is not None:
        return load_audio(audio_path), str(audio_path)
    if DEFAULT_AUDIO.exists():
        return load_audio(DEFAULT_AUDIO), str(DEFAULT_AUDIO)
    # no recording at hand: synthesise speech with the embedded voice
    import asyncio

    from voice_io.audio import pcm16_to_float32, resample
    from voice_io.tts import PiperTTS

    async def speak(tts: PiperTTS, text: str) -> bytes:
        return b"".join([c async for c in tts.synthesize(text)])

    piper = PiperTTS.load()
    text = "The quick brown fox jumps over the lazy dog. " * 6
    pcm = asyncio.run(speak(piper, text))
    return resample(pcm16_to_float32(pcm), piper.sample_rate, INPUT_RATE), "piper"


def measure(
    audio_path: str | Path | None = None, *, repeats: int = 3, max_seconds: float = 60.0
) -> dict[str, Any]:
    """Feed speech window by window through a fresh `SileroVADStream` and time each window.

    Returns {"source", "windows", "window_ms", "median_ms", "p95_ms", "max_ms", "mean_ms",
    "realtime_factor", "speech_fraction"}; realtime_factor = mean cost / 32 ms.
    """
    audio, source = _speech(audio_path)
    audio = audio[: int(max_seconds * INPUT_RATE)]
    n_windows = audio.size // WINDOW_SAMPLES
    windows = audio[: n_windows * WINDOW_SAMPLES].reshape(n_windows, WINDOW_SAMPLES)
    vad = SileroVAD.load()

    warm = vad.stream()
    for window in windows[:20]:
        warm.process(window)

    costs: list[float] = []
    voiced = 0
    for _ in range(max(1, repeats)):
        stream = vad.stream()
        for window in windows:
            start = time.perf_counter()
            stream.process(window)
            costs.append((time.perf_counter() - start) * 1000)
            voiced += stream.probability >= vad.settings.threshold
    mean = statistics.fmean(costs)
    return {
        "source": source,
        "windows": len(costs),
        "window_ms": WINDOW_MS,
        "median_ms": statistics.median(costs),
        "p95_ms": percentile(costs, 95),
        "max_ms": max(costs),
        "mean_ms": mean,
        "realtime_factor": mean / WINDOW_MS,
        "speech_fraction": voiced / len(costs),
    }


def format_table(result: dict[str, Any]) -> str:
    rows = [
        ("source", str(result["source"])),
        ("windows", f"{result['windows']} x {result['window_ms']:.0f} ms"),
        ("median", f"{result['median_ms']:.3f} ms"),
        ("p95", f"{result['p95_ms']:.3f} ms"),
        ("max", f"{result['max_ms']:.3f} ms"),
        ("real-time factor", f"{result['realtime_factor']:.4f}"),
        ("speech windows", f"{result['speech_fraction']:.0%}"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--audio", type=Path, default=None, help="speech file (default: a test recording)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    result = measure(args.audio, repeats=args.repeats)
    print(json.dumps(result, indent=2) if args.json else format_table(result))


if __name__ == "__main__":
    main()
