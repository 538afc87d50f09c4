"""`make soak`: N sessions for D minutes with barge-ins, reconnects and one disconnect mid-reply.

Samples the server every few seconds (resident memory with its children, open file descriptors,
threads, asyncio tasks) and fails on
- growth above `max_growth` (10 %) of any of them between the end of the warm-up (a quarter of
  the run, at most 60 s) and the end of the run (resident memory, fds, threads; runs of 5 minutes
  or more), or tasks and fds that do not come back to their warm-up level once the sessions end.
  Each end is the median of the samples in a window (`GROWTH_WINDOW_S`, a quarter of the span at
  most): one reading lands on a decode's passing buffers (+50-90 MB for a few seconds) or misses
  them, which alone moved the verdict by several percent,
- any stuck session: a turn with no reply within `reply_timeout_s` (10 s).

The short CI mode (`--sessions 2 --minutes 1 --ci`, also `tests/bench/test_soak_short.py`) asserts
that every turn is answered and that tasks and fds come back, with a generous reply timeout and no
wall-clock threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load import run_load
from bench.observed import llm_line, server_llm_outcome
from bench.procstat import ProcessSampler

ROOT = Path(__file__).resolve().parent.parent


GROWTH_WINDOW_S = 60.0


def growth(samples: list[dict[str, float]], key: str, warm_up_s: float) -> tuple[float, float] | None:
    """(level just after the warm-up, level at the end) of one reading, or None if unsampled: the
    medians of the samples in the first and the last window after the warm-up."""
    after = [(s["t_s"], s[key]) for s in samples if key in s and s["t_s"] >= warm_up_s]
    if len(after) < 2:
        return None
    start, end = after[0][0], after[-1][0]
    window = min(GROWTH_WINDOW_S, (end - start) / 4)
    first = [v for t, v in after if t <= start + window]
    last = [v for t, v in after if t >= end - window]
    return statistics.median(first), statistics.median(last)


def verdict(
    result: dict[str, Any],
    samples: list[dict[str, float]],
    *,
    warm_up_s: float,
    max_growth: float,
    settled: dict[str, float] | None,
    check_growth: bool = True,
) -> list[str]:
    problems = list(result["errors"])
    if result["answered"] < result["turns"]:
        problems.append(f"{result['turns'] - result['answered']} of {result['turns']} turns unanswered")
    if result.get("frames_leaked"):
        problems.append(f"{result['frames_leaked']} agent audio frames leaked past their utterance's end")
    for key in ("rss_mb", "fds", "threads") if check_growth else ():
        pair = growth(samples, key, warm_up_s)
        if pair and pair[0] > 0 and (pair[1] - pair[0]) / pair[0] > max_growth:
            problems.append(f"{key} grew {pair[0]:.0f} -> {pair[1]:.0f} (> {max_growth:.0%}) after warm-up")
    if settled is not None and samples:
        warm = next((s for s in samples if s["t_s"] >= warm_up_s), samples[0])
        for key in ("tasks", "fds"):
            if key in settled and key in warm and settled[key] > warm[key] * (1 + max_growth) + 2:
                problems.append(
                    f"{key} did not come back after the sessions ended: "
                    f"{warm[key]:.0f} at warm-up, {settled[key]:.0f} after"
                )
    return problems


async def soak(
    url: str, pid: int, *, sessions: int, minutes: float, reply_timeout_s: float, max_growth: float
) -> dict[str, Any]:
    health = url.replace("ws://", "http://").rsplit("/ws", 1)[0] + "/healthz"
    sampler = ProcessSampler(pid, health_url=health, interval_s=5.0 if minutes >= 5 else 2.0)
    until = time.monotonic() + minutes * 60
    result = await run_load(
        url,
        sessions=sessions,
        turns=10_000,
        stagger_s=1.0,
        reply_timeout_s=reply_timeout_s,
        sampler=sampler,
        until=until,
        min_turns=4,
        reconnect_every=3,
        drop_mid_reply=lambda i: i == 0,
    )
    await asyncio.sleep(3.0)  # let the closed sessions finish their writes
    settled = await asyncio.to_thread(sampler.sample)
    warm_up_s = min(60.0, minutes * 60 / 4)
    # growth is judged only on a real soak: in a 1-minute run, model caches and lazily started
    # worker threads are still warming up; leaks then show as tasks/fds that do not come back
    problems = verdict(
        result,
        sampler.samples,
        warm_up_s=warm_up_s,
        max_growth=max_growth,
        settled=settled,
        check_growth=minutes >= 5,
    )
    return {"load": result, "samples": sampler.samples, "settled": settled, "problems": problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--ci", action="store_true", help="short mode: generous reply timeout")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--log", type=Path, help="keep the server's log here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.voice_agent.conftest import start_server

    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), VOICE_AGENT_LLM="rules" if args.ci else "auto")
        try:
            out = asyncio.run(
                soak(
                    server.ws_url,
                    server.proc.pid,
                    sessions=args.sessions,
                    minutes=args.minutes,
                    reply_timeout_s=60.0 if args.ci else 10.0,
                    max_growth=0.10,
                )
            )
            out["llm"] = server_llm_outcome(server.http_url, server.log)
        finally:
            server.stop()
            if args.log:
                shutil.copyfile(server.log, args.log)
    text = json.dumps(out, indent=2)
    if args.output:
        args.output.write_text(text)
    if args.json:
        print(text)
    else:
        load = out["load"]
        print(f"{load['sessions']} sessions, {load['answered']}/{load['turns']} turns answered")
        for s in [*out["samples"][:: max(1, len(out["samples"]) // 12)], out["settled"]]:
            print("  " + "  ".join(f"{k}={v:.0f}" for k, v in s.items()))
        print(llm_line(out["llm"]))
        print("PASS" if not out["problems"] else "FAIL:\n  " + "\n  ".join(out["problems"]))
    return 0 if not out["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
