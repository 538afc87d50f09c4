"""Speech to text: faster-whisper (default, embedded models) or openai-whisper (torch extra)."""

from voice_io.stt.factory import STTKind, load_stt
from voice_io.stt.faster_whisper_stt import FasterWhisperSTT
from voice_io.stt.models import cache_dir, resolve_faster_whisper_model

__all__ = ["FasterWhisperSTT", "STTKind", "cache_dir", "load_stt", "resolve_faster_whisper_model"]
