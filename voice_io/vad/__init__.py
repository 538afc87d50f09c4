"""Voice activity detection: a pure state machine (`VADMachine`) driven by Silero (`SileroVAD`)."""

from voice_io.vad.machine import WINDOW_SAMPLES, VADMachine, VADState
from voice_io.vad.silero import SileroVAD, SileroVADStream, VADSettings

__all__ = ["WINDOW_SAMPLES", "SileroVAD", "SileroVADStream", "VADMachine", "VADSettings", "VADState"]
