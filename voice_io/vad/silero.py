"""Silero VAD v6 on onnxruntime (the model file faster-whisper ships), streamed window by window.

`SileroVAD.load()` opens the ONNX session once (shared; onnxruntime sessions are safe to run from
several threads); `.stream()` gives each session its own `SileroVADStream` carrying the LSTM state,
the 64-sample context and a `VADMachine`.

**Forgetting between utterances.** After speech and a long silence, Silero's LSTM state holds on to
the speech it heard: the next onset scores 0.2–0.5 for ~5 windows where a fresh state scores 0.6–0.8
(measured on JFK after another clip and 4 s of silence: the barge-in rule decided 270–325 ms after
the onset against 95–132 ms on a fresh stream). So once the detector has been quiet for
`forget_after_ms` (default 1000 ms, after the 480 ms min-silence that ended the speech), the stream
zeroes the LSTM state: an utterance after a longer silence (a barge-in) is detected as promptly as
the first one. Not sooner: at 320 ms, the fresh state heard more of the onset after a 1 s pause
mid-sentence (JFK's "ask not … what"), Whisper wrote "Ask not!" and the sentence was answered as
two turns.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import onnxruntime

from voice_io.protocols import INPUT_RATE, Float32Array, VADEvent
from voice_io.vad.machine import WINDOW_SAMPLES, VADMachine, VADState

logger = logging.getLogger(__name__)

CONTEXT_SAMPLES = 64
_STATE_SHAPE = (1, 1, 128)
FORGET_AFTER_MS = 1000


def default_model_path() -> Path:
    import faster_whisper

    return Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"


@dataclass(frozen=True, slots=True)
class VADSettings:
    threshold: float = 0.5
    min_speech_ms: int = 96
    min_silence_ms: int = 480
    speech_pad_ms: int = 64
    exit_threshold: float | None = None


class SileroVAD:
    """A loaded Silero model; implements `voice_io.protocols.VAD`."""

    def __init__(
        self,
        session: onnxruntime.InferenceSession,
        settings: VADSettings,
        forget_after_ms: int = FORGET_AFTER_MS,
    ) -> None:
        self._session = session
        self.settings = settings
        self.forget_after_ms = forget_after_ms

    @classmethod
    def load(
        cls,
        *,
        threshold: float = 0.5,
        min_speech_ms: int = 96,
        min_silence_ms: int = 480,
        speech_pad_ms: int = 64,
        exit_threshold: float | None = None,
        model_path: str | Path | None = None,
        forget_after_ms: int = FORGET_AFTER_MS,
    ) -> SileroVAD:
        """Open the ONNX model (blocking, ~tens of ms; do it once at startup). `forget_after_ms`:
        the quiet after which a stream zeroes its LSTM state (0: never, as Silero's own iterator)."""
        if forget_after_ms < 0:
            raise ValueError(f"forget_after_ms must not be negative, got {forget_after_ms}")
        path = Path(model_path) if model_path is not None else default_model_path()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        settings = VADSettings(threshold, min_speech_ms, min_silence_ms, speech_pad_ms, exit_threshold)
        # Build a machine once so bad settings fail at load time, not per session.
        cls._machine(settings)
        logger.info("Silero VAD loaded from %s (%s)", path, settings)
        return cls(session, settings, forget_after_ms)

    @staticmethod
    def _machine(settings: VADSettings) -> VADMachine:
        """The settings are the machine's parameters, for Silero's window."""
        return VADMachine(**asdict(settings), window_s=WINDOW_SAMPLES / INPUT_RATE)

    def stream(self) -> SileroVADStream:
        forget = (
            0
            if self.forget_after_ms == 0
            else max(1, round(self.forget_after_ms / 1000 * INPUT_RATE / WINDOW_SAMPLES))
        )
        return SileroVADStream(self._session, self._machine(self.settings), forget_after_windows=forget)


class SileroVADStream:
    """Per-session detector; implements `voice_io.protocols.VADStream`. Sync: run it off the loop."""

    def __init__(
        self, session: onnxruntime.InferenceSession, machine: VADMachine, *, forget_after_windows: int = 0
    ) -> None:
        self._session = session
        self.machine = machine
        self._forget_after = forget_after_windows
        self.reset()

    def reset(self) -> None:
        self.machine.reset()
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._window = np.zeros((1, CONTEXT_SAMPLES + WINDOW_SAMPLES), dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._quiet = 0
        """Windows in a row the machine has been quiet (the LSTM state is zeroed at `_forget_after`)."""
        self.probability = 0.0
        """Speech probability of the most recent window."""

    @property
    def speaking(self) -> bool:
        return self.machine.speaking

    def process(self, samples: Float32Array) -> list[VADEvent]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        buffer = np.concatenate((self._pending, samples)) if self._pending.size else samples
        events: list[VADEvent] = []
        n_windows = buffer.size // WINDOW_SAMPLES
        for i in range(n_windows):
            window = buffer[i * WINDOW_SAMPLES : (i + 1) * WINDOW_SAMPLES]
            events.extend(self.machine.feed(self._infer(window)))
            self._forget_when_quiet()
        self._pending = buffer[n_windows * WINDOW_SAMPLES :].copy()
        return events

    def _forget_when_quiet(self) -> None:
        if self.machine.state is not VADState.QUIET:
            self._quiet = 0
            return
        self._quiet += 1
        if self._quiet == self._forget_after:
            self._h.fill(0.0)
            self._c.fill(0.0)

    def end_speech(self) -> list[VADEvent]:
        return self.machine.end_now()

    def probabilities(self, samples: Float32Array) -> list[float]:
        """Feed samples and return the probability of every window they complete (drives the
        state machine too; events are dropped). Handy for tests and benchmarks."""
        out: list[float] = []
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        for start in range(0, samples.size, WINDOW_SAMPLES):
            before = self.machine.windows_seen
            self.process(samples[start : start + WINDOW_SAMPLES])
            if self.machine.windows_seen > before:
                out.append(self.probability)
        return out

    def _infer(self, window: Float32Array) -> float:
        # [context (last 64 samples of the previous window) | 512 new samples]
        self._window[0, :CONTEXT_SAMPLES] = self._window[0, -CONTEXT_SAMPLES:]
        self._window[0, CONTEXT_SAMPLES:] = window
        probs, self._h, self._c = self._session.run(None, {"input": self._window, "h": self._h, "c": self._c})
        self.probability = float(probs.reshape(-1)[0])
        return self.probability
