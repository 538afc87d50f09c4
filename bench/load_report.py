"""The report of `bench.load` (N sessions at once): the table, and the preemptive-reply figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bench.observed import llm_line
from bench.run import summary

if TYPE_CHECKING:
    from bench.load import SessionResult


def preemptive(results: list[SessionResult]) -> dict[str, Any]:
    """Replies prepared on the speculative transcript: committed, discarded, and V2V either way."""
    pairs = [(v, p) for r in results for v, p in zip(r.v2v_ms, r.preempted, strict=True)]
    committed, discarded = sum(p for _, p in pairs), sum(r.preempt_discards for r in results)
    return {
        "committed": committed,
        "discarded": discarded,
        "discard_rate": round(discarded / (committed + discarded), 3) if committed + discarded else None,
        "v2v_committed_ms": summary([v for v, p in pairs if p]),
        "v2v_other_ms": summary([v for v, p in pairs if not p]),
    }


def table(result: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.0f}"

    rows = [
        ("voice-to-voice, client", result["voice_to_voice_ms"]),
        ("barge-in (onset -> interrupted)", result["barge_in_ms"]),
        ("VAD event lag (client estimate)", result["vad_lag_ms"]),
    ]
    rows += [(f"  server {k}", v) for k, v in result["stages_ms"].items()]
    lines = [
        f"{result['sessions']} sessions, {result['answered']}/{result['turns']} turns answered",
        f"{'stage':44} {'p50 ms':>8} {'p95 ms':>8} {'n':>4}",
    ]
    lines += [f"{name:44} {fmt(s['p50']):>8} {fmt(s['p95']):>8} {s['n']:>4}" for name, s in rows]
    lines.append(f"agent audio frames leaked past their utterance's end: {result.get('frames_leaked', 0)}")
    if (pre := result.get("preemptive")) and pre["committed"] + pre["discarded"]:
        lines.append(
            f"preemptive replies: {pre['committed']} committed, {pre['discarded']} discarded "
            f"(rate {pre['discard_rate']}); V2V p50 {fmt(pre['v2v_committed_ms']['p50'])} ms committed, "
            f"{fmt(pre['v2v_other_ms']['p50'])} ms otherwise"
        )
    if sentences := result.get("sentences"):
        lines.append(
            f"sentences spoken: {sentences['model']} by the model, {sentences['template']} from templates "
            f"(per session, model/template: {sentences['per_session']})"
        )
    if memory := result.get("memory"):
        lines.append(
            f"resident memory: {memory['rss_before_mb']} MB before, peak {memory['rss_peak_mb']} MB, "
            f"{memory['per_session_mb']} MB per session"
        )
    if llm := result.get("llm"):
        lines.append(llm_line(llm))
    lines += [f"error: {e}" for e in result["errors"]]
    return "\n".join(lines)
