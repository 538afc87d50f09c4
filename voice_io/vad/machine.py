"""A pure, synchronous voice-activity state machine fed one speech probability per window.

    QUIET ──p ≥ threshold──▶ STARTING ──min_speech voiced──▶ SPEAKING ──unvoiced──▶ STOPPING
      ▲                         │ p < exit_threshold            ▲                      │
      └─────────────────────────┘                               └──── voiced ──────────┤
      ▲                                                                                │
      └───────────────────────── min_silence unvoiced ─────────────────────────────────┘

Hysteresis: a window starts speech at `threshold` but, once started, stays voiced down to
`exit_threshold` (default `threshold - 0.15`, as in Silero's own iterator).

Events (see `voice_io.protocols.VADStream`), timed on the audio clock in seconds:
- `speech_start` when min-speech of voiced audio has accumulated; t = onset minus padding;
- `silence_start` at the first unvoiced window while speaking; t = end of the last voiced window;
- `speech_resume` when a voiced window comes back before min-silence; t = its start;
- `speech_end` after min-silence of unvoiced windows; t = end of the last voiced window plus padding.

`end_now()` ends the speech at once, in a pause, before min-silence (an end-of-turn model decided).
"""

from __future__ import annotations

import enum
import math

from voice_io.protocols import VADEvent

WINDOW_SAMPLES = 512
"""Silero's window at 16 kHz: 32 ms."""


class VADState(enum.Enum):
    QUIET = "quiet"
    STARTING = "starting"
    SPEAKING = "speaking"
    STOPPING = "stopping"


def _windows_for(ms: float, window_s: float) -> int:
    return max(1, math.ceil(ms / 1000.0 / window_s - 1e-9))


class VADMachine:
    def __init__(
        self,
        *,
        threshold: float = 0.5,
        exit_threshold: float | None = None,
        min_speech_ms: float = 96,
        min_silence_ms: float = 480,
        speech_pad_ms: float = 64,
        window_s: float = WINDOW_SAMPLES / 16_000,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {threshold}")
        if exit_threshold is None:
            exit_threshold = max(0.01, threshold - 0.15)
        if not 0.0 < exit_threshold <= threshold:
            raise ValueError(f"exit_threshold must be in (0, threshold], got {exit_threshold}")
        if min_speech_ms < 0 or min_silence_ms < 0 or speech_pad_ms < 0:
            raise ValueError("durations must not be negative")
        self.threshold = threshold
        self.exit_threshold = exit_threshold
        self.window_s = window_s
        self.pad_s = speech_pad_ms / 1000.0
        self.min_speech_windows = _windows_for(min_speech_ms, window_s)
        self.min_silence_windows = _windows_for(min_silence_ms, window_s)
        self.reset()

    def reset(self) -> None:
        self.state = VADState.QUIET
        self.windows_seen = 0
        self._run = 0  # voiced windows in STARTING, unvoiced windows in STOPPING
        self._onset = 0  # index of the first voiced window of the pending/current utterance
        self._last_voiced_end = 0.0
        self._last_end_t = 0.0

    @property
    def speaking(self) -> bool:
        """True between `speech_start` and `speech_end`."""
        return self.state in (VADState.SPEAKING, VADState.STOPPING)

    def feed(self, probability: float) -> list[VADEvent]:
        """Advance one window; return the events it completes (in order; usually zero or one)."""
        index = self.windows_seen
        self.windows_seen += 1
        start_t = index * self.window_s
        end_t = start_t + self.window_s
        state = self.state

        if state is VADState.QUIET:
            if probability >= self.threshold:
                self._onset = index
                self._run = 0
                self.state = VADState.STARTING
                return self._starting_window()
            return []

        if state is VADState.STARTING:
            if probability >= self.exit_threshold:
                return self._starting_window()
            self.state = VADState.QUIET
            return []

        voiced = probability >= self.exit_threshold
        if state is VADState.SPEAKING:
            if voiced:
                self._last_voiced_end = end_t
                return []
            self.state = VADState.STOPPING
            self._run = 1
            events = [VADEvent("silence_start", start_t)]
            return events + self._maybe_end()

        # STOPPING
        if voiced:
            self.state = VADState.SPEAKING
            self._last_voiced_end = end_t
            return [VADEvent("speech_resume", start_t)]
        self._run += 1
        return self._maybe_end()

    def end_now(self) -> list[VADEvent]:
        """In a pause (STOPPING): end the speech now, as min-silence would (the same `speech_end`);
        the next voiced audio starts new speech. Otherwise nothing happens."""
        if self.state is not VADState.STOPPING:
            return []
        self._run = self.min_silence_windows
        return self._maybe_end()

    def _starting_window(self) -> list[VADEvent]:
        self._run += 1
        if self._run < self.min_speech_windows:
            return []
        self.state = VADState.SPEAKING
        self._last_voiced_end = self.windows_seen * self.window_s
        onset = max(self._onset * self.window_s - self.pad_s, self._last_end_t, 0.0)
        return [VADEvent("speech_start", onset)]

    def _maybe_end(self) -> list[VADEvent]:
        if self._run < self.min_silence_windows:
            return []
        self.state = VADState.QUIET
        self._run = 0
        end = min(self._last_voiced_end + self.pad_s, self.windows_seen * self.window_s)
        self._last_end_t = end
        return [VADEvent("speech_end", end)]
