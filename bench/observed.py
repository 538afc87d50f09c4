"""What a bench session learns from the server's messages, besides latency: VAD event lag, audio
frames leaked past the end of an utterance, and the spoken sentences by who wrote them (the `state`
events' `spoken_by`); and what the run asked of the LLM, from `/healthz` and the server's log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.client import Recorder

VAD_DECISION_MS = 96 + 64 + 32  # audio after an onset before `speech_start` fires: speech, pad, window

FALLBACK_LINE = "llm fallback"
"""The warning graph.speech logs when a reply falls back to its template because the model failed."""


def vad_lags(rec: Recorder, mic_started_at: float | None) -> list[float]:
    """Receive time of each `speech_start` minus the time the audio that decided it was sent (ms)."""
    if mic_started_at is None:
        return []
    lags = []
    for t, kind, m in rec.items:
        if kind == "json" and m["type"] == "vad" and m["event"] == "speech_start":
            decided_at = mic_started_at + (m["t_ms"] + VAD_DECISION_MS) / 1000
            lags.append(max(0.0, (t - decided_at) * 1000))
    return lags


def leaked_frames(rec: Recorder) -> int:
    """Agent audio frames received while no utterance was open: after its `interrupted` (the
    protocol's "no audio frame of an utterance is sent after its `interrupted`") or its
    `agent.audio_end`, before the next `agent.audio_start`."""
    open_, leaked = False, 0
    for _, kind, m in rec.items:
        if kind == "audio":
            leaked += not open_
        elif m["type"] == "agent.audio_start":
            open_ = True
        elif m["type"] in ("agent.audio_end", "interrupted"):
            open_ = False
    return leaked


def spoken_by(rec: Recorder) -> dict[str, int]:
    """The session's sentences so far by source, from the latest `state` event ({} when none)."""
    states = [m for _, kind, m in rec.items if kind == "json" and m["type"] == "state" and "spoken_by" in m]
    return {k: int(v) for k, v in states[-1]["spoken_by"].items()} if states else {}


def sentence_totals(sessions: Sequence[Mapping[str, int]]) -> dict[str, Any]:
    """Totals over the sessions, and each session's (model, template) pair."""
    return {
        "model": sum(s.get("model", 0) for s in sessions),
        "template": sum(s.get("template", 0) for s in sessions),
        "per_session": [(s.get("model", 0), s.get("template", 0)) for s in sessions],
    }


def llm_outcome(health: Mapping[str, Any] | None, log_text: str) -> dict[str, Any]:
    """The LLM's side of a run: its `/healthz` counters (completions, failures, restarts, the model's
    sentences spoken / rejected by the guard / too late) and the fallback warnings in the log.
    `health` None: the server could not be asked."""
    llm = ((health or {}).get("engines") or {}).get("llm") or {}
    process = llm.get("process") or {}
    return {
        "provider": llm.get("provider"),
        "completions": llm.get("completions"),
        "failures": llm.get("failures"),
        "restarts": process.get("restarts"),
        "model_sentences": llm.get("model_sentences"),
        "fallbacks_logged": sum(FALLBACK_LINE in line for line in log_text.splitlines()),
    }


def server_llm_outcome(http_url: str, log: Path) -> dict[str, Any]:
    """`llm_outcome` of a running server (its base URL) and its log file."""
    try:
        health = httpx.get(f"{http_url}/healthz", timeout=10).json()
    except (httpx.HTTPError, ValueError):
        health = None
    text = log.read_text(errors="replace") if log.exists() else ""
    return llm_outcome(health, text)


def llm_line(llm: Mapping[str, Any]) -> str:
    """One line of a bench table."""
    said = {"spoken": "-", "rejected": "-", "late": "-", **(llm.get("model_sentences") or {})}
    return (
        f"LLM {llm.get('provider')}: {llm.get('completions')} completions, {llm.get('failures')} failures, "
        f"{llm.get('restarts')} restarts, {llm['fallbacks_logged']} fallbacks logged; model sentences "
        f"spoken {said['spoken']}, rejected {said['rejected']}, late {said['late']}"
    )
