"""Builds the speech engines from settings (blocking; once, at startup, in a worker thread).

Models load once and are shared; per-connection state lives in the streams they hand out
(`vad.stream()`) and in the per-session TTS made by `tts_for_session` (edge-tts falls back to Piper
for the rest of *that* session).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import SecretStr

from voice_agent.settings import Settings
from voice_io import workers
from voice_io.errors import TTSError
from voice_io.protocols import STT, TTS, VAD, EndOfTurn
from voice_io.stt.factory import STTKind, load_stt
from voice_io.tts.cache import SentenceCache
from voice_io.tts.fallback import FallbackTTS
from voice_io.tts.piper_tts import PiperTTS
from voice_io.vad.silero import SileroVAD

log = logging.getLogger(__name__)

OnFallback = Callable[[TTSError], None]


@dataclass
class Engines:
    vad: VAD
    stt: STT
    piper: PiperTTS
    settings: Settings
    load_s: dict[str, float] = field(default_factory=dict)
    end_of_turn: EndOfTurn | None = None
    """The end-of-turn model (None: the VAD's fixed silence ends every turn)."""
    end_of_turn_error: str | None = None
    """Why the configured end-of-turn model did not load."""
    spoken: SentenceCache = field(init=False)
    """Piper behind the sentence cache every session shares (`voice_io.tts.cache`)."""

    def __post_init__(self) -> None:
        self.spoken = SentenceCache(self.piper)

    def tts_for_session(self, on_fallback: OnFallback | None = None) -> TTS:
        if self.settings.tts == "openai-api":
            return FallbackTTS(remote_tts(self.settings), self.spoken, on_fallback)
        if self.settings.tts == "edge":
            from voice_io.tts.edge import DEFAULT_VOICE, EdgeTTS, speed_to_rate

            primary = EdgeTTS(
                self.settings.tts_voice or DEFAULT_VOICE, speed_to_rate(self.settings.tts_speed)
            )
            return FallbackTTS(primary, self.spoken, on_fallback)
        return self.spoken

    def describe(self) -> str:
        tts = {
            "edge": "edge-tts (falls back to Piper)",
            "openai-api": f"remote {self.settings.tts_base_url} (falls back to Piper)",
        }.get(self.settings.tts, "Piper joe-us (embedded)")
        turn = f"{self.settings.vad_min_silence_ms} ms silence"
        if self.end_of_turn is not None:
            turn = f"{self.end_of_turn.name} after {self.settings.turn_silence_ms} ms, else {turn}"
        return (
            f"VAD Silero v6 ONNX; end of turn: {turn}; "
            f"STT {self.settings.stt} {self.settings.stt_model}; TTS {tts}; "
            f"loaded in {sum(self.load_s.values()):.1f} s"
        )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


def _base_url(url: str | None, role: str) -> str:
    """The URL of a remote (OpenAI-compatible) engine; naming that engine without one is a settings error."""
    if not url:
        raise ValueError(f"VOICE_AGENT_{role}=openai-api needs VOICE_AGENT_{role}_BASE_URL")
    return url


def remote_stt(settings: Settings) -> STT:
    from voice_io.remote import OpenAIAPISTT

    return OpenAIAPISTT(
        _base_url(settings.stt_base_url, "STT"),
        model=settings.stt_model,
        api_key=_secret(settings.stt_api_key),
        language=settings.stt_language,
        timeout_s=settings.remote_timeout_s,
    )


def remote_tts(settings: Settings) -> TTS:
    from voice_io.remote import OpenAIAPITTS

    return OpenAIAPITTS(
        _base_url(settings.tts_base_url, "TTS"),
        model=settings.tts_model,
        voice=settings.tts_voice or "alloy",
        api_key=_secret(settings.tts_api_key),
        sample_rate=settings.tts_sample_rate,
        speed=settings.tts_speed,
        timeout_s=settings.remote_timeout_s,
    )


def load_end_of_turn(settings: Settings) -> tuple[EndOfTurn | None, str | None]:
    """The smart-turn model, or None with the reason (a missing or broken file: the VAD's fixed
    silence then ends every turn; `turn_model=off`: None without a reason)."""
    if settings.turn_model == "off":
        return None, None
    from voice_io.eot.smart_turn import SmartTurn

    try:
        return SmartTurn.load(settings.turn_model_path), None
    except Exception as exc:
        reason = f"{exc.__class__.__name__}: {exc}"
        log.warning("end-of-turn model not loaded (%s): the VAD's fixed silence ends turns", reason)
        return None, reason


def _load_stt(settings: Settings, kind: STTKind) -> STT:
    """The local recogniser, loaded at the model threads' priority (`workers.in_model_thread`)."""
    return workers.in_model_thread(
        lambda: load_stt(
            kind,
            settings.stt_model,
            settings.stt_language,
            settings.stt_threads,
            window_s=settings.stt_window_s,
        )
    )


def load_engines(settings: Settings) -> Engines:
    # Whisper uses `stt_threads` cores a call: one shared model worker per that many cores
    workers.configure(heavy_workers=workers.default_heavy_workers(settings.stt_threads))
    timings: dict[str, float] = {}
    t = time.monotonic()
    vad = SileroVAD.load(
        threshold=settings.vad_threshold,
        min_speech_ms=settings.vad_min_speech_ms,
        min_silence_ms=settings.vad_min_silence_ms,
        speech_pad_ms=settings.vad_speech_pad_ms,
        forget_after_ms=settings.vad_forget_after_ms,
    )
    timings["vad"] = time.monotonic() - t
    t = time.monotonic()
    stt = remote_stt(settings) if settings.stt == "openai-api" else _load_stt(settings, settings.stt)
    timings["stt"] = time.monotonic() - t
    t = time.monotonic()
    piper = workers.in_model_thread(lambda: PiperTTS.load(settings.tts_speed))
    timings["tts"] = time.monotonic() - t
    t = time.monotonic()
    end_of_turn, error = load_end_of_turn(settings)
    timings["eot"] = time.monotonic() - t
    log.info("engines loaded: %s", {k: round(v, 2) for k, v in timings.items()})
    return Engines(vad, stt, piper, settings, timings, end_of_turn=end_of_turn, end_of_turn_error=error)
