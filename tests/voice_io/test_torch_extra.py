"""The optional torch extra: openai-whisper STT and the silero-vad package as a reference."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from voice_io.errors import STTError
from voice_io.protocols import Float32Array, Transcript
from voice_io.stt import load_stt
from voice_io.stt.openai_whisper_stt import OpenAIWhisperSTT
from voice_io.vad import SileroVAD

SR = 16_000


def test_missing_openai_whisper_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "whisper", None)  # makes `import whisper` fail
    with pytest.raises(STTError, match=r"voice-agent\[torch\]"):
        load_stt("openai-whisper", "tiny")


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    torch.manual_seed(0)
    dims = whisper_model.ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=64,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51864,
        n_text_ctx=32,
        n_text_state=64,
        n_text_head=2,
        n_text_layer=1,
    )
    model = whisper_model.Whisper(dims)
    path = tmp_path_factory.mktemp("whisper") / "tiny-random.pt"
    torch.save({"dims": dataclasses.asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


@pytest.mark.torch
async def test_local_checkpoint_loads_and_transcribes(tiny_checkpoint: Path, jfk: Float32Array) -> None:
    stt = load_stt("openai-whisper", str(tiny_checkpoint), "en")
    assert isinstance(stt, OpenAIWhisperSTT)
    assert stt.name == "openai-whisper:tiny-random.pt"
    result = await stt.transcribe(jfk[: 3 * SR])
    # random weights: the words are noise, but the engine runs end to end
    assert isinstance(result, Transcript)
    assert result.audio_s == pytest.approx(3.0)
    assert result.language == "en"


@pytest.mark.torch
def test_named_model_offline_raises_stt_error(tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    with pytest.raises(STTError, match="tiny"):
        OpenAIWhisperSTT.load("tiny", download_root=tmp_path)


@pytest.mark.torch
def test_unknown_checkpoint_path_raises_stt_error() -> None:
    pytest.importorskip("whisper")
    with pytest.raises(STTError):
        OpenAIWhisperSTT.load("/nonexistent/model.pt")


def _union_length(segments: list[tuple[float, float]]) -> float:
    return sum(e - s for s, e in segments)


def _intersection(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


@pytest.mark.torch
@pytest.mark.models
def test_streaming_onnx_agrees_with_silero_vad_package(lecture: Float32Array) -> None:
    """The silero-vad package ships a newer model revision than faster-whisper's v6 ONNX file, so
    window probabilities differ slightly; speech/non-speech decisions and segments must agree."""
    torch = pytest.importorskip("torch")
    silero_vad = pytest.importorskip("silero_vad")

    reference = silero_vad.load_silero_vad(onnx=False)
    with torch.no_grad():
        ref_probs = np.array(
            [
                float(reference(torch.from_numpy(lecture[i : i + 512].copy()), SR))
                for i in range(0, lecture.size - 511, 512)
            ]
        )
    ours = np.array(SileroVAD.load().stream().probabilities(lecture))
    assert ours.shape == ref_probs.shape
    assert np.corrcoef(ours, ref_probs)[0, 1] > 0.9
    assert ((ours >= 0.5) == (ref_probs >= 0.5)).mean() > 0.9

    reference.reset_states()
    ref_segments = [
        (float(s["start"]), float(s["end"]))
        for s in silero_vad.get_speech_timestamps(
            torch.from_numpy(lecture),
            reference,
            min_silence_duration_ms=480,
            min_speech_duration_ms=96,
            speech_pad_ms=64,
            return_seconds=True,
        )
    ]
    stream = SileroVAD.load(min_silence_ms=480, min_speech_ms=96, speech_pad_ms=64).stream()
    our_segments: list[tuple[float, float]] = []
    start = 0.0
    for event in stream.process(lecture):
        if event.kind == "speech_start":
            start = event.t
        elif event.kind == "speech_end":
            our_segments.append((start, event.t))
    if stream.speaking:
        our_segments.append((start, lecture.size / SR))
    overlap = _intersection(our_segments, ref_segments)
    iou = overlap / (_union_length(our_segments) + _union_length(ref_segments) - overlap)
    assert iou > 0.9
