"""Live probes of every engine: each one must produce real output, not just load.

- TTS: Piper (or the configured TTS) speaks a known sentence; the audio must not be silent.
- VAD: that speech, streamed through a fresh VAD stream, must give `speech_start`.
- STT: Whisper must hear the sentence back, within a word-error-rate bound (kernels differ
  between AVX2 and AVX-512 machines, so exact words are not required).
- EOT: the end-of-turn model must judge the sentence finished after a 200 ms pause, and the same
  sentence cut short (at 30-70 %) not finished at one cut at least.
- LLM: the embedded llama.cpp server must answer its start-up self-test (a real completion of a
  realistic prompt); an OpenAI-compatible server must answer one short completion.

Used by `voice-agent doctor` and at start-up for `/healthz`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import jiwer
import numpy as np

from voice_agent.settings import Settings
from voice_io.audio import pcm16_to_float32, resample
from voice_io.protocols import INPUT_RATE

if TYPE_CHECKING:
    from voice_agent.engines import Engines
    from voice_io.protocols import TTS

PROBE_TEXT = "The quick brown fox jumps over the lazy dog near the river bank."
MAX_WER = 0.5
MIN_RMS = 0.01


@dataclass
class Probe:
    engine: str
    ok: bool
    ms: float
    detail: str

    def line(self) -> str:
        return f"{self.engine:<4} {'OK' if self.ok else 'FAILED':<7} {self.ms:8.0f} ms  {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalise(text: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


async def _timed(engine: str, check: Callable[[], Awaitable[str]]) -> Probe:
    started = time.monotonic()
    try:
        detail = await check()
        ok = True
    except Exception as exc:  # a probe reports any failure; it never raises
        detail, ok = f"{exc.__class__.__name__}: {exc}", False
    return Probe(engine, ok, (time.monotonic() - started) * 1000, detail)


async def probe_speech(engines: Engines) -> list[Probe]:
    """TTS, then VAD, STT and the end-of-turn model (when one is configured) on what the TTS said."""
    vad, stt, tts = engines.vad, engines.stt, engines.tts_for_session()
    end_of_turn, eot_error = engines.end_of_turn, engines.end_of_turn_error
    audio: list[np.ndarray] = []

    async def speak(voice: TTS = tts) -> np.ndarray:
        pcm = b"".join([chunk async for chunk in voice.synthesize(PROBE_TEXT)])
        return pcm16_to_float32(pcm)

    async def check_tts() -> str:
        samples = await speak()
        rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
        if rms < MIN_RMS:
            raise RuntimeError(f"{tts.name} produced silent audio (rms {rms:.4f}, {samples.size} samples)")
        audio.append(resample(samples, tts.sample_rate, INPUT_RATE))
        return f"{tts.name}: {samples.size / tts.sample_rate:.1f} s of speech, rms {rms:.3f}"

    async def check_vad() -> str:
        if not audio:
            raise RuntimeError("skipped: needs the TTS audio")
        padded = np.concatenate([audio[0], np.zeros(INPUT_RATE, dtype=np.float32)])
        stream = vad.stream()
        events = await asyncio.to_thread(stream.process, padded)
        kinds = [e.kind for e in events]
        if "speech_start" not in kinds:
            raise RuntimeError(f"no speech detected in clear speech (events: {kinds})")
        return f"speech detected at {events[kinds.index('speech_start')].t:.2f} s"

    async def check_stt() -> str:
        if not audio:
            raise RuntimeError("skipped: needs the TTS audio")
        transcript = await stt.transcribe(audio[0])
        heard = _normalise(transcript.text)
        if not heard:
            raise RuntimeError("the transcript is empty")
        wer = float(jiwer.wer(_normalise(PROBE_TEXT), heard))
        if wer > MAX_WER:
            raise RuntimeError(f"heard {transcript.text!r} (WER {wer:.2f} > {MAX_WER})")
        return f"{stt.name}: {transcript.text.strip()!r} (WER {wer:.2f})"

    async def check_eot() -> str:
        if end_of_turn is None:
            raise RuntimeError(
                f"{eot_error} (the VAD's fixed silence ends turns; VOICE_AGENT_TURN_MODEL=off)"
            )
        pause = np.zeros(INPUT_RATE // 5, dtype=np.float32)

        def judge(samples: np.ndarray) -> float:
            return end_of_turn.complete_probability(np.concatenate([samples, pause]))

        async def verdicts(clip: np.ndarray) -> tuple[float, float]:
            voiced = np.nonzero(np.abs(clip) > 0.02)[0]
            speech = clip[: voiced[-1] + 1] if voiced.size else clip
            finished = await asyncio.to_thread(judge, speech)
            # cut at 30 %…70 %: a cut mid-word can sound final, so the least final of five is checked
            fractions = (0.3, 0.4, 0.5, 0.6, 0.7)
            cuts = [await asyncio.to_thread(judge, speech[: int(speech.size * f)]) for f in fractions]
            return finished, min(cuts)

        # The probe asks whether the model hears anything, not how good it is: the whole sentence
        # must sound finished and the least final cut clearly less so. It reads at natural speed
        # whatever the session's speed (at 4x cuts sounded final: 0.94-0.98). Piper samples its
        # prosody, so a cut can still sound final now and then (0.53 seen; 0.02-0.30 usually):
        # a second reading decides before it fails. A dead or constant model fails both.
        natural = engines.piper.at_speed(1.0)
        for _reading in range(2):
            samples = resample(await speak(natural), natural.sample_rate, INPUT_RATE)
            finished, cut = await verdicts(samples)
            if finished >= 0.5 and cut <= finished - 0.15:
                break
        else:
            raise RuntimeError(f"P(finished) {finished:.2f} for the sentence, {cut:.2f} at best cut short")
        return f"{end_of_turn.name}: P(finished) {finished:.2f} after the sentence, {cut:.2f} cut short"

    probes = [await _timed("TTS", check_tts), await _timed("VAD", check_vad), await _timed("STT", check_stt)]
    if end_of_turn is not None or eot_error is not None:
        probes.append(await _timed("EOT", check_eot))
    return probes


async def probe_llm(settings: Settings) -> Probe:
    """Start the configured LLM (embedded: with its self-test), ask once, stop it."""
    provider = settings.llm_provider

    async def check() -> str:
        if provider == "rules":
            return "no LLM configured (VOICE_AGENT_LLM=rules): templates only"
        if provider == "embedded":
            from voice_agent.llm_server import LlamaServer, embedded_gguf_path

            server = LlamaServer(
                settings.llm_gguf or embedded_gguf_path(),
                n_threads=settings.llm_threads,
                n_ctx=settings.llm_ctx,
                restart=False,
            )
            async with server:
                return f"SmolLM2 (llama.cpp) answered a real completion in {server.self_test_ms:.0f} ms"
        from graph.llm import build_chat_model

        model = build_chat_model(
            provider="openai",
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else "x",
            model=settings.llm_model,
            max_tokens=8,
            timeout_s=min(settings.llm_timeout_s, 10.0),
        )
        assert model is not None
        reply = await model.ainvoke("Reply with the single word OK.")
        if not str(reply.content).strip():
            raise RuntimeError("the completion was empty")
        return f"{settings.openai_base_url or 'OpenAI'} answered: {str(reply.content).strip()[:40]!r}"

    return await _timed("LLM", check)


async def run_doctor(settings: Settings) -> list[Probe]:
    from voice_agent.engines import load_engines

    started = time.monotonic()
    try:
        engines = await asyncio.to_thread(load_engines, settings)
    except Exception as exc:
        failed = Probe("load", False, (time.monotonic() - started) * 1000, f"{exc.__class__.__name__}: {exc}")
        return [failed, await probe_llm(settings)]
    probes = await probe_speech(engines)
    return [*probes, await probe_llm(settings)]
