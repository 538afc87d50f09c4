"""Text to speech: Piper (embedded, default), edge-tts (online) and a one-way fallback between them."""

from voice_io.tts.edge import EdgeTTS, speed_to_rate
from voice_io.tts.fallback import FallbackTTS
from voice_io.tts.mp3 import Mp3Decoder
from voice_io.tts.piper_tts import PiperTTS

__all__ = ["EdgeTTS", "FallbackTTS", "Mp3Decoder", "PiperTTS", "speed_to_rate"]
