"""Settings of one voice session (turn-taking, pacing, input limits)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionConfig:
    lead_s: float = 0.3
    """How far agent audio is sent ahead of the caller's play head."""
    frame_ms: int = 40
    barge_in_min_speech_s: float = 0.16
    """User speech over the agent lasting this long interrupts it."""
    partial_interval_s: float = 1.0
    speculate_after_s: float = 0.12
    """The pause before the speculative decode of the turn so far is queued (0: at its first
    unvoiced window); a pause the user talks through sooner never takes the model worker (in an
    8-turn bench, 32 decodes instead of 45, so fewer stale ones hold the worker when the turn ends)."""
    max_bad_frames: int = 20
    """Bad inputs tolerated within `bad_window_s` before the connection is closed with 1008."""
    bad_window_s: float = 10.0
    max_frames_per_s: int = 200
    max_audio_bytes_per_s: int = 48_000 * 2 * 4
    stt_prompt: str | None = None
    endpoint_silence_s: float = 0.48
    """The VAD's min-silence: the fixed wait that ends a turn (for the overhead in turn.metrics)."""
    eot_silence_s: float = 0.2
    """With an end-of-turn judge: the pause after which it is asked whether the turn is over."""
    eot_threshold: float = 0.7
    """The judge's probability at or above which that pause ends the turn (below: the fixed wait)."""
    unfinished_grace_s: float = 0.6
    """Extra wait before answering a transcript that looks cut off mid-thought."""
    thinking_grace_s: float = 2.0
    """Extra wait, instead, after a transcript that ends in thinking aloud ("let me think", "um")."""
    preemptive_reply: bool = False
    """Prepare the reply on the speculative transcript during the endpoint wait (`voice_io.preempt`):
    played at once when the final transcript matches, discarded without a trace otherwise."""

    def designed_wait_s(self, ended_by: str) -> float:
        """The silence that ended a turn by design (`"model"`: the end-of-turn model's pause)."""
        return self.eot_silence_s if ended_by == "model" else self.endpoint_silence_s
