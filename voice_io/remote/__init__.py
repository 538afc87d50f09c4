"""Remote speech engines over the OpenAI-compatible audio API, for deployments where the model
work runs on its own pool (vLLM, speaches/faster-whisper servers, LocalAI, Kokoro servers) and the
voice workers stay light: `OpenAIAPISTT` (`POST /v1/audio/transcriptions`) and `OpenAIAPITTS`
(`POST /v1/audio/speech`, streamed PCM)."""

from voice_io.remote.stt import OpenAIAPISTT
from voice_io.remote.tts import OpenAIAPITTS

__all__ = ["OpenAIAPISTT", "OpenAIAPITTS"]
