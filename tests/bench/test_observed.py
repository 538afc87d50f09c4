"""What the bench reads from the server's messages: spoken sentences by source (the latest `state`
event), VAD lag, and agent audio that leaked past its utterance's end; and the LLM's side of a run
from `/healthz` and the server's log."""

from __future__ import annotations

from bench.client import Recorder
from bench.observed import leaked_frames, llm_line, llm_outcome, sentence_totals, spoken_by, vad_lags


def recorder(*messages: dict) -> Recorder:
    rec = Recorder(ws=None)
    rec.items = [(float(i), "json", m) for i, m in enumerate(messages)]
    return rec


def test_spoken_by_is_the_latest_state_events() -> None:
    rec = recorder(
        {"type": "state", "node": "greet", "spoken_by": {"model": 0, "template": 4}},
        {"type": "agent.text", "text": "You mentioned the retry logic."},
        {"type": "state", "node": "follow_up", "spoken_by": {"model": 1, "template": 6}},
        {"type": "state", "node": "x"},  # a state event without the field (an older server)
    )
    assert spoken_by(rec) == {"model": 1, "template": 6}
    assert spoken_by(recorder({"type": "vad", "event": "speech_start", "t_ms": 0})) == {}


def test_sentence_totals_per_session() -> None:
    totals = sentence_totals([{"model": 1, "template": 6}, {}, {"model": 2, "template": 5}])
    assert totals == {"model": 3, "template": 11, "per_session": [(1, 6), (0, 0), (2, 5)]}


def test_vad_lag_from_the_mic_clock() -> None:
    rec = recorder({"type": "vad", "event": "speech_start", "t_ms": 1000})
    assert vad_lags(rec, None) == []
    (lag,) = vad_lags(rec, mic_started_at=-2.0)  # received at t=0: decided at -2 + 1.192 s
    assert round(lag) == 808


def test_audio_after_interrupted_or_audio_end_is_leaked_until_the_next_utterance() -> None:
    rec = Recorder(ws=None)
    audio = b"\x00\x00" * 320
    rec.items = [
        (0.0, "json", {"type": "agent.audio_start", "utterance_id": "u1"}),
        (0.1, "audio", audio),
        (0.2, "audio", audio),
        (0.3, "json", {"type": "interrupted", "utterance_id": "u1"}),
        (0.4, "audio", audio),  # the cancelled utterance's frame, after `interrupted`
        (0.5, "json", {"type": "agent.audio_start", "utterance_id": "u2"}),
        (0.6, "audio", audio),
        (0.7, "json", {"type": "agent.audio_end", "utterance_id": "u2"}),
        (0.8, "audio", audio),  # after audio_end
        (0.9, "audio", audio),
    ]
    assert leaked_frames(rec) == 3
    assert leaked_frames(Recorder(ws=None)) == 0


def test_the_llm_outcome_counts_failures_restarts_and_the_fallbacks_in_the_log() -> None:
    health = {
        "engines": {
            "llm": {
                "provider": "embedded",
                "process": {"state": "ready", "restarts": 1},
                "completions": 40,
                "failures": 2,
                "model_sentences": {"spoken": 11, "rejected": 3, "late": 25},
            }
        }
    }
    log = "\n".join(
        [
            "INFO graph.speech: guard rejected the model's sentence 'x' (off topic)",
            "WARNING graph.speech: llm fallback (thread t1): OpenAIConnectionError: Connection error.",
            "INFO voice_io.reply: barge-in on u1: heard 'Thanks'",
            "WARNING graph.speech: llm fallback (thread t2): timed out",
        ]
    )
    outcome = llm_outcome(health, log)
    assert outcome == {
        "provider": "embedded",
        "completions": 40,
        "failures": 2,
        "restarts": 1,
        "model_sentences": {"spoken": 11, "rejected": 3, "late": 25},
        "fallbacks_logged": 2,
    }
    assert "2 failures, 1 restarts, 2 fallbacks logged" in llm_line(outcome)
    unreachable = llm_outcome(None, "")
    assert unreachable["fallbacks_logged"] == 0 and unreachable["failures"] is None
    assert "spoken -" in llm_line(unreachable)
