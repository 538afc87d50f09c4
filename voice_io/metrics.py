"""Per-turn latency waterfall (`turn.metrics`), on the server's monotonic clock, plus process-wide
Prometheus histograms of the same stages.

Marks (monotonic seconds) are set as the turn progresses; `waterfall()` turns them into the
protocol's millisecond fields:

    speech_end ─endpoint─▶ accepted ─stt─▶ transcript (─grace─▶) ─llm─▶ first_token ▶ first_sentence
               ─tts─▶ first_audio          response = speech_end ▶ first_audio
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Counter, Histogram

STAGES = (
    "endpoint_ms",
    "stt_ms",
    "llm_first_token_ms",
    "first_sentence_ms",
    "tts_first_audio_ms",
    "response_ms",
)

TURN_STAGE_SECONDS = Histogram(
    "voice_agent_turn_stage_seconds",
    "Latency of each stage of a user turn",
    ["stage"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0),
)

PREEMPTIVE_REPLIES = Counter(
    "voice_agent_preemptive_replies_total",
    "Replies prepared on a speculative transcript, by outcome (committed or discarded)",
    ["outcome"],
)


def _ms(a: float | None, b: float | None) -> int | None:
    if a is None or b is None:
        return None
    return max(0, round((b - a) * 1000))


def _s_to_ms(seconds: float | None) -> int | None:
    return None if seconds is None else max(0, round(seconds * 1000))


@dataclass
class TurnTimer:
    turn_id: str
    speech_end: float | None = None
    """When the user's last voiced audio arrived (None for typed turns)."""
    accepted: float | None = None
    transcript: float | None = None
    first_token: float | None = None
    first_sentence: float | None = None
    tts_start: float | None = None
    tts_first_chunk: float | None = None
    first_audio: float | None = None
    grace_s: float = 0.0
    """Extra wait after a transcript that looked unfinished (reported apart as `grace_ms`)."""
    endpoint_silence_s: float = 0.0
    """The designed part of the endpoint wait, not overhead: the VAD's min-silence, or the pause
    after which the end-of-turn model ended the turn."""
    stt_compute_s: float | None = None
    """Whisper's own time for the final transcript (its queue time apart)."""
    stt_queue_s: float | None = None
    """How long that decode waited for a model worker."""
    tts_queue_s: float | None = None
    """How long the first sentence's synthesis waited for a model worker."""
    speculative_stt: bool = False
    preempted: bool = False
    """The reply was prepared on the speculative transcript during the endpoint wait and committed."""
    preempt_discards: int = 0
    preempt_lead_s: float | None = None
    """How long before the final transcript the committed reply was started."""
    """Replies prepared on a speculative transcript and discarded since the previous spoken turn."""
    endpoint_by: str = "silence"
    """What ended the user's speech: the VAD's fixed min-silence or the end-of-turn model."""
    eot_probability: float | None = None
    """The end-of-turn model's P(finished) at the turn's last pause (None: not asked or failed)."""

    def waterfall(self) -> dict[str, int | None]:
        start = self.speech_end if self.speech_end is not None else self.accepted
        asked = None if self.transcript is None else self.transcript + self.grace_s
        return {
            "endpoint_ms": _ms(self.speech_end, self.accepted),
            "stt_ms": _ms(self.accepted, self.transcript),
            "llm_first_token_ms": _ms(asked, self.first_token),
            "first_sentence_ms": _ms(asked, self.first_sentence),
            "tts_first_audio_ms": _ms(self.tts_start, self.first_audio),
            "response_ms": _ms(start, self.first_audio),
        }

    def overhead_ms(self) -> int | None:
        """Pipeline time that is not model compute: endpoint detection beyond the min-silence, the
        wait between the first sentence and TTS start, and first TTS chunk → first frame sent."""
        parts = [
            _ms(self.first_sentence, self.tts_start),
            _ms(self.tts_first_chunk, self.first_audio),
        ]
        if self.speech_end is not None and self.accepted is not None:
            parts.append(max(0, round((self.accepted - self.speech_end - self.endpoint_silence_s) * 1000)))
        if any(p is None for p in parts):
            return None
        return sum(p for p in parts if p is not None)

    def message(self) -> dict[str, object]:
        fields = self.waterfall()
        for stage, value in fields.items():
            if value is not None:
                TURN_STAGE_SECONDS.labels(stage=stage).observe(value / 1000)
        extra: dict[str, object] = {
            "stt_compute_ms": _s_to_ms(self.stt_compute_s),
            "stt_queue_ms": _s_to_ms(self.stt_queue_s),
            "tts_queue_ms": _s_to_ms(self.tts_queue_s),
            "speculative_stt": self.speculative_stt,
            "overhead_ms": self.overhead_ms(),
            "grace_ms": round(self.grace_s * 1000),
            "preempted": self.preempted,
            "preempt_discards": self.preempt_discards,
            "endpoint_by": self.endpoint_by,
            "eot_probability": None if self.eot_probability is None else round(self.eot_probability, 3),
            "preempt_lead_ms": _s_to_ms(self.preempt_lead_s),
        }
        return {"type": "turn.metrics", "turn_id": self.turn_id, **fields, **extra}
