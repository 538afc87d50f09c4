"""The latency table `make bench` prints (from the JSON result of `bench.run.run_bench`)."""

from __future__ import annotations

from typing import Any

from bench.observed import llm_line


def fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def table(result: dict[str, Any]) -> str:
    conv = result["conversation"]
    rows = [
        ("voice-to-voice (speech end → first agent audio, client)", conv["voice_to_voice_ms"]),
        ("barge-in (speech onset → interrupted, client)", conv["barge_in_ms"]),
    ]
    if "twilio" in result:
        rows.insert(
            1,
            (
                "voice-to-voice, Twilio path (µ-law in → first µ-law media out)",
                result["twilio"]["voice_to_voice_ms"],
            ),
        )
    rows += [(f"  server {k}", v) for k, v in conv["stages_ms"].items()]
    lines = [f"{'stage':64} {'p50 ms':>9} {'p95 ms':>9} {'n':>4}"]
    lines += [f"{name:64} {fmt(s['p50']):>9} {fmt(s['p95']):>9} {s['n']:>4}" for name, s in rows]
    leaked = conv.get("frames_leaked", "-")
    lines.append(f"{'agent audio frames leaked past an interrupted or ended utterance':64} {leaked:>9}")
    if llm := result.get("llm"):
        lines.append(llm_line(llm))
    vad = result["vad"]
    lines.append(f"{'VAD per 32 ms window':58} {fmt(vad.get('median_ms')):>9} {fmt(vad.get('p95_ms')):>9}")
    for database, parts in result["storage"].items():
        if "error" in parts:
            lines.append(f"storage {database}: unavailable ({parts['error']})")
            continue
        for part in ("checkpoint", "app_data", "total"):
            s = parts.get(part, {})
            lines.append(
                f"{'write per turn, ' + database + ' ' + part:58} {fmt(s.get('p50_ms')):>9} "
                f"{fmt(s.get('p95_ms')):>9}"
            )
    return "\n".join(lines)
