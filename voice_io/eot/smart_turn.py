"""Smart Turn v3.2 (Daily, BSD-2-Clause): an audio end-of-turn classifier on onnxruntime.

The model (8.7 MB, a Whisper-tiny encoder with a classification head) hears the last 8 s of the
user's speech and says how likely it is that the turn is finished, from intonation and rhythm,
not from words: a falling "…last summer." scores high, a level "…and then we" scores low.

No standalone PyPI package ships the file; the `pipecat-ai` wheel does
(`pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx`). It is read from that
distribution's files as data: nothing of pipecat is imported, so it is installed without its
dependencies (`make install` does; see README). `VOICE_AGENT_TURN_MODEL_PATH` names another copy.
"""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path

import numpy as np
import onnxruntime

from voice_io.eot.features import last_window, log_mel
from voice_io.protocols import Float32Array

log = logging.getLogger(__name__)

PACKAGE = "pipecat-ai"
MODEL_FILE = "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"


class TurnModelMissing(RuntimeError):
    """The smart-turn model file is not installed."""


def packaged_model_path() -> Path:
    """The ONNX file inside the installed `pipecat-ai` distribution (raises `TurnModelMissing`)."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise TurnModelMissing(
            f"the smart-turn model ships in the {PACKAGE} wheel, which is not installed "
            f"(pip install --no-deps {PACKAGE}==1.14.0, or set VOICE_AGENT_TURN_MODEL=off)"
        ) from exc
    path = Path(str(dist.locate_file(MODEL_FILE)))
    if not path.is_file():
        raise TurnModelMissing(f"{PACKAGE} {dist.version} has no {MODEL_FILE}")
    return path


class SmartTurn:
    """Implements `voice_io.protocols.EndOfTurn` (sync, blocking: run it in a model worker)."""

    name = "smart-turn-v3.2"

    def __init__(self, session: onnxruntime.InferenceSession, path: Path) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name
        self.path = path

    @classmethod
    def load(cls, model_path: str | Path | None = None, *, threads: int = 1) -> SmartTurn:
        path = Path(model_path) if model_path is not None else packaged_model_path()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        log.info("end-of-turn model %s loaded from %s", cls.name, path)
        return cls(session, path)

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        """P(the turn is finished) from the last 8 s of 16 kHz audio up to now; `transcript` is
        not used (the model hears prosody; the transcript check runs after it, in `turns`)."""
        features = log_mel(last_window(audio))[None, :, :]
        (out, *_) = self._session.run(None, {self._input: features})
        probability = float(np.asarray(out).reshape(-1)[0])
        if not 0.0 <= probability <= 1.0:  # NaN included
            raise ValueError(f"{self.name} returned {probability}")
        return probability
