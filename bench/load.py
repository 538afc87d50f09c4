"""`voice-agent bench --sessions N`: N conversations at once over real sockets.

Each session streams real speech in real time with natural pauses (a continuous microphone:
speech when a turn is queued, silence otherwise), starts `stagger_s` after the previous one,
barges in on every other reply, and measures per turn: client voice-to-voice (end of the clip
sent -> first agent audio frame received), the server's `turn.metrics` waterfall (queue times
included), barge-in reaction (speech onset -> `interrupted`), and VAD event lag (receive time of
a `vad` event minus the time the audio that decided it was sent). The server's resident memory is
sampled before and during the run, so the report gives memory per session. A turn with no reply
within `reply_timeout_s` counts as unanswered. Medians and p95 from one run.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench.client import RATE, Mic, Recorder, say_ready
from bench.load_report import preemptive, table
from bench.observed import leaked_frames, sentence_totals, server_llm_outcome, spoken_by, vad_lags
from bench.procstat import ProcessSampler
from bench.run import ROOT, load_turns, speech_onset_s, summary


@dataclass
class SessionResult:
    index: int
    turns: int = 0
    answered: int = 0
    v2v_ms: list[float] = field(default_factory=list)
    barge_in_ms: list[float] = field(default_factory=list)
    vad_lag_ms: list[float] = field(default_factory=list)
    stages_ms: dict[str, list[float]] = field(default_factory=dict)
    preempted: list[bool] = field(default_factory=list)
    """Per answered turn with a V2V figure: was its reply prepared during the endpoint wait?"""
    preempt_discards: int = 0
    errors: list[str] = field(default_factory=list)
    frames_leaked: int = 0
    """Agent audio frames received after their utterance's `interrupted` or `agent.audio_end`."""
    thread_id: str | None = None
    spoken_by: dict[str, int] = field(default_factory=dict)
    """The session's spoken sentences by who wrote them (the last `state` event's `spoken_by`)."""
    sessions_started: int = 0
    """New interviews started after one ended (`session.ended`) on a live connection."""
    per_turn: list[dict[str, Any]] = field(default_factory=list)
    """Each answered turn: when its speech ended (monotonic), V2V and its `turn.metrics`."""


class TimedMic(Mic):
    """The bench microphone, remembering when it started (the server's input-audio clock)."""

    started_at: float | None = None

    async def run(self) -> None:
        self.started_at = time.monotonic()
        await super().run()


async def _start(ws: Any, rec: Recorder, thread_id: str | None, workflow: str, *, since: float = 0.0) -> str:
    options = {"role": "backend engineer", "questions": 10} if workflow == "interview" else {}
    await ws.send(
        json.dumps(
            {"type": "session.start", "workflow": workflow, "thread_id": thread_id, "options": options}
        )
    )
    _, started = await rec.wait("session.started", since=since, timeout=60)
    return str(started["thread_id"])


def ended(rec: Recorder) -> bool:
    """Whether the connection's conversation has ended (`session.ended` after the last start)."""
    kinds = [m["type"] for _, k, m in rec.items if k == "json"]
    last = {kind: i for i, kind in enumerate(kinds) if kind in ("session.started", "session.ended")}
    return last.get("session.ended", -1) > last.get("session.started", -1)


async def one_turn(
    rec: Recorder,
    mic: TimedMic,
    clip: np.ndarray,
    result: SessionResult,
    *,
    reply_timeout_s: float,
    barge: np.ndarray | None,
    onset_s: float,
) -> None:
    """Say one clip; wait for the answer to its last words; maybe barge in on it."""
    result.turns += 1
    sent_at = await mic.say(clip)
    speech_end = sent_at + len(clip) / RATE
    await asyncio.sleep(len(clip) / RATE)
    deadline = time.monotonic() + reply_timeout_s
    answer: tuple[float, dict[str, Any]] | None = None
    while time.monotonic() < deadline and answer is None:
        finals = [
            m
            for t, k, m in rec.items
            if k == "json" and t >= sent_at and m["type"] == "transcript" and m["final"]
        ]
        if finals:
            answer = rec.find("agent.audio_start", since=speech_end - 1.0, turn_id=finals[-1]["turn_id"])
        if answer is None:
            await asyncio.sleep(0.05)
    if answer is None:
        if ended(rec):  # spoken as the conversation ended (its last reply done): not one of its turns
            result.turns -= 1
            return
        result.errors.append(f"turn {result.turns}: no reply within {reply_timeout_s:g} s")
        return
    result.answered += 1
    t_start, start = answer
    first = rec.first_audio_after(t_start)
    try:
        _, metrics = await rec.wait("turn.metrics", turn_id=start["turn_id"], timeout=30)
        for key, value in metrics.items():
            if key.endswith("_ms") and isinstance(value, int | float):
                result.stages_ms.setdefault(key, []).append(float(value))
        result.preempt_discards += int(metrics.get("preempt_discards") or 0)
    except TimeoutError:
        metrics = {}
        result.errors.append(f"turn {result.turns}: no turn.metrics")
    v2v = None if first is None or first <= speech_end else (first - speech_end) * 1000
    if v2v is not None:
        result.v2v_ms.append(v2v)
        result.preempted.append(bool(metrics.get("preempted")))
    result.per_turn.append({
        "session": result.index,
        "ended_at": speech_end,
        "clip_s": round(len(clip) / RATE, 2),
        "v2v_ms": None if v2v is None else round(v2v),
        **{k: v for k, v in metrics.items() if k not in ("type", "turn_id")},
    })  # fmt: skip
    if barge is not None:
        await asyncio.sleep(0.8)
        utt = start["utterance_id"]
        if rec.find("agent.audio_end", utterance_id=utt) is None:
            sent = await mic.say(barge)
            try:
                t_int, _ = await rec.wait("interrupted", since=sent, timeout=10, utterance_id=utt)
                result.barge_in_ms.append((t_int - (sent + onset_s)) * 1000)
            except TimeoutError:
                pass
            await asyncio.sleep(len(barge) / RATE + 0.5)


async def run_session(
    url: str,
    index: int,
    *,
    turns: int,
    reply_timeout_s: float = 30.0,
    reconnect_every: int = 0,
    until: float | None = None,
    drop_mid_reply: bool = False,
    min_turns: int = 0,
    workflow: str = "interview",
) -> SessionResult:
    """One conversation; with `reconnect_every`, the socket is dropped and the thread resumed.

    `until` (monotonic) ends it at a deadline (once `min_turns` are done) instead of a turn count;
    `drop_mid_reply` drops the
    socket once while the agent is speaking (then resumes), as a phone losing signal would.
    """
    import websockets

    clips = load_turns()
    barge_clip = clips[0][: int(3.0 * RATE)]
    onset = speech_onset_s(barge_clip)
    result = SessionResult(index)
    done = 0

    def more() -> bool:
        return done < turns and (until is None or time.monotonic() < until or done < min_turns)

    while more():
        async with websockets.connect(url, max_size=None) as ws:
            rec, mic = Recorder(ws), TimedMic(ws)
            tasks = [asyncio.create_task(rec.run()), asyncio.create_task(mic.run())]
            try:
                new_thread = result.thread_id is None
                result.thread_id = await _start(ws, rec, result.thread_id, workflow)
                await rec.wait("agent.audio_start", timeout=120)
                await rec.idle()
                if new_thread and workflow == "interview":
                    await say_ready(ws, rec)  # not a measured turn: question 1 is asked after it
                while more():
                    if ended(rec):
                        # the interview is over (its last question answered): the user starts a
                        # new one on the same connection, as the protocol allows
                        started_at = time.monotonic()
                        result.thread_id = await _start(ws, rec, None, workflow, since=started_at)
                        result.sessions_started += 1
                        await rec.wait("agent.audio_start", since=started_at, timeout=120)
                        await rec.idle()
                        if workflow == "interview":
                            await say_ready(ws, rec)
                    clip = clips[(index + done) % len(clips)]
                    if drop_mid_reply and done == 1:
                        drop_mid_reply = False
                        asked_at = time.monotonic()
                        await mic.say(clip)
                        await rec.wait("agent.audio_start", since=asked_at, timeout=reply_timeout_s * 3)
                        done += 1
                        result.turns += 1
                        result.answered += 1
                        break  # gone mid-reply: the next connection resumes the thread
                    barge = barge_clip if done % 2 == 1 else None
                    await one_turn(
                        rec, mic, clip, result, reply_timeout_s=reply_timeout_s, barge=barge, onset_s=onset
                    )
                    done += 1
                    await rec.idle(timeout=reply_timeout_s * 3)
                    if reconnect_every and done % reconnect_every == 0 and more():
                        break  # drop the socket; the next connection resumes the thread
            except TimeoutError as exc:
                result.errors.append(f"session {index}: {exc}")
                done += 1
            finally:
                result.vad_lag_ms.extend(vad_lags(rec, mic.started_at))
                result.frames_leaked += leaked_frames(rec)
                result.spoken_by = spoken_by(rec) or result.spoken_by
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    return result


async def run_load(
    url: str,
    *,
    sessions: int,
    stagger_s: float = 1.0,
    sampler: ProcessSampler | None = None,
    **session_options: Any,
) -> dict[str, Any]:
    # session_options go to run_session (turns is required); a callable one gives each session's value
    async def staggered(i: int) -> SessionResult:
        await asyncio.sleep(i * stagger_s)
        options = {k: (v(i) if callable(v) else v) for k, v in session_options.items()}
        return await run_session(url, i, **options)

    baseline = sampler.sample() if sampler else None
    sampling = asyncio.create_task(sampler.run()) if sampler else None
    try:
        results = await asyncio.gather(*(staggered(i) for i in range(sessions)))
    finally:
        if sampling:
            sampling.cancel()
            await asyncio.gather(sampling, return_exceptions=True)
    return report(results, baseline=baseline, sampler=sampler)


def _timeline(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turns of all sessions in the order they ended, timed from the first (`ended_s`)."""
    turns = sorted(turns, key=lambda t: t["ended_at"])
    origin = turns[0]["ended_at"] if turns else 0.0
    return [
        {"ended_s": round(t["ended_at"] - origin, 2), **{k: v for k, v in t.items() if k != "ended_at"}}
        for t in turns
    ]


def report(
    results: list[SessionResult], *, baseline: dict[str, float] | None, sampler: ProcessSampler | None
) -> dict[str, Any]:
    def pooled(get: Any) -> list[float]:
        return [v for r in results for v in get(r)]

    stages: dict[str, list[float]] = {}
    for r in results:
        for key, values in r.stages_ms.items():
            stages.setdefault(key, []).extend(values)
    out: dict[str, Any] = {
        "sessions": len(results),
        "turns": sum(r.turns for r in results),
        "answered": sum(r.answered for r in results),
        "voice_to_voice_ms": summary(pooled(lambda r: r.v2v_ms)),
        "barge_in_ms": summary(pooled(lambda r: r.barge_in_ms)),
        "frames_leaked": sum(r.frames_leaked for r in results),
        "vad_lag_ms": summary(pooled(lambda r: r.vad_lag_ms)),
        "stages_ms": {k: summary(v) for k, v in sorted(stages.items())},
        "preemptive": preemptive(results),
        "sentences": sentence_totals([r.spoken_by for r in results]),
        "errors": [e for r in results for e in r.errors],
        "restarted_after_end": sum(r.sessions_started for r in results),
        "per_turn": _timeline([t for r in results for t in r.per_turn]),
    }
    if sampler and baseline and sampler.samples:
        peak = max(s["rss_mb"] for s in sampler.samples)
        out["memory"] = {
            "rss_before_mb": round(baseline["rss_mb"], 1),
            "rss_peak_mb": round(peak, 1),
            "per_session_mb": round((peak - baseline["rss_mb"]) / max(1, len(results)), 1),
        }
    return out


def main(
    *, sessions: int, turns: int, url: str | None = None, as_json: bool = False, output: Path | None = None
) -> dict[str, Any]:
    """Start a server with the embedded stack (unless `url`), run the load, print the report."""
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.voice_agent.conftest import start_server

        with tempfile.TemporaryDirectory() as tmp:
            server = start_server(Path(tmp))
            try:
                sampler = ProcessSampler(server.proc.pid, health_url=f"{server.http_url}/healthz")
                result = asyncio.run(run_load(server.ws_url, sessions=sessions, turns=turns, sampler=sampler))
                result["llm"] = server_llm_outcome(server.http_url, server.log)
            finally:
                server.stop()
    else:
        result = asyncio.run(run_load(url, sessions=sessions, turns=turns))
    text = json.dumps(result, indent=2)
    if output:
        output.write_text(text)
    print(text if as_json else table(result))
    return result
