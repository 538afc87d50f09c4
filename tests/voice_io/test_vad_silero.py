"""SileroVAD (ONNX, streamed) on real speech."""

from __future__ import annotations

import numpy as np
import pytest

from voice_io.protocols import Float32Array, VADEvent
from voice_io.vad import WINDOW_SAMPLES, SileroVAD
from voice_io.vad.silero import default_model_path

pytestmark = pytest.mark.models

SR = 16_000


def feed_in_chunks(vad: SileroVAD, audio: Float32Array, chunk: int) -> tuple[list[VADEvent], int]:
    stream = vad.stream()
    events: list[VADEvent] = []
    for i in range(0, audio.size, chunk):
        events.extend(stream.process(audio[i : i + chunk]))
    return events, stream.machine.windows_seen


def segments(events: list[VADEvent]) -> list[tuple[float, float | None]]:
    out: list[tuple[float, float | None]] = []
    for e in events:
        if e.kind == "speech_start":
            out.append((e.t, None))
        elif e.kind == "speech_end":
            out[-1] = (out[-1][0], e.t)
    return out


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


@pytest.fixture(scope="module")
def vad() -> SileroVAD:
    return SileroVAD.load(threshold=0.5, min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64)


def test_lecture_segments_match_transcript_times(
    vad: SileroVAD, lecture: Float32Array, lecture_segments: list[tuple[float, float]]
) -> None:
    events, seen = feed_in_chunks(vad, lecture, 1600)  # 100 ms frames, not window-aligned
    assert seen == lecture.size // WINDOW_SAMPLES  # every whole window, however the frames fell
    found = [(s, e if e is not None else lecture.size / SR) for s, e in segments(events)]
    assert 4 <= len(found) <= 20
    # nearly all transcribed speech is inside a detected segment
    speech = sum(e - s for s, e in lecture_segments)
    covered = sum(overlap(t, f) for t in lecture_segments for f in found)
    assert covered / speech > 0.85
    # the two long pauses of the transcript (7.00-9.32 s, 47.00-48.88 s) are not speech
    for gap in ((7.3, 9.0), (47.3, 48.6)):
        assert sum(overlap(gap, f) for f in found) == 0.0
    # speech after each pause is picked up close to the transcript's onset
    starts = [s for s, _ in found]
    for onset in (0.0, 9.32, 48.88):
        assert min(abs(s - onset) for s in starts) < 0.35


def test_jfk_with_long_min_silence_is_one_utterance(jfk: Float32Array) -> None:
    vad = SileroVAD.load(min_silence_ms=1500)
    audio = np.concatenate([jfk, np.zeros(2 * SR, dtype=np.float32)])
    events, _ = feed_in_chunks(vad, audio, 320)  # 20 ms frames
    found = segments(events)
    assert len(found) == 1
    start, end = found[0]
    assert end is not None
    assert start < 0.5 and 10.0 < end < 11.0
    # the speaker's ~1 s pauses show up as silence_start/speech_resume inside the utterance
    kinds = [e.kind for e in events]
    assert kinds.count("silence_start") == kinds.count("speech_resume") + 1 >= 3


def test_jfk_with_480ms_min_silence_splits_at_real_pauses(vad: SileroVAD, jfk: Float32Array) -> None:
    audio = np.concatenate([jfk, np.zeros(SR, dtype=np.float32)])
    events, _ = feed_in_chunks(vad, audio, 512)
    found = segments(events)
    # jfk pauses ~1 s after "Americans", "ask not" and "do for you"
    assert 3 <= len(found) <= 5
    assert all(end is not None for _, end in found)
    assert found[0][0] < 0.5
    last_end = found[-1][1]
    assert last_end is not None and 10.0 < last_end < 11.0


def test_silence_and_noise_are_not_speech(vad: SileroVAD) -> None:
    rng = np.random.default_rng(0)
    stream = vad.stream()
    assert stream.process(np.zeros(5 * SR, dtype=np.float32)) == []
    noise = (rng.standard_normal(5 * SR) * 0.05).astype(np.float32)
    assert stream.process(noise) == []
    hum = (0.2 * np.sin(2 * np.pi * 50 * np.arange(5 * SR) / SR)).astype(np.float32)
    assert stream.process(hum) == []
    assert not stream.speaking
    assert stream.machine.windows_seen == 15 * SR // WINDOW_SAMPLES


def test_probabilities_match_faster_whisper_batch_call(lecture: Float32Array) -> None:
    from faster_whisper.vad import SileroVADModel

    audio = lecture[: 20 * SR]
    batch = SileroVADModel(str(default_model_path()))(audio).reshape(-1)
    ours = np.array(SileroVAD.load(forget_after_ms=0).stream().probabilities(audio))
    assert ours.shape == batch.shape
    assert np.abs(ours - batch).max() < 0.01
    assert ours.max() > 0.9 and ours.min() < 0.1  # a real mix of speech and pauses


def test_chunking_does_not_change_events(vad: SileroVAD, lecture: Float32Array) -> None:
    audio = lecture[: 20 * SR]
    a, _ = feed_in_chunks(vad, audio, 512)
    b, _ = feed_in_chunks(vad, audio, 777)
    assert a == b and a


def test_streams_are_independent_and_reset(vad: SileroVAD, jfk: Float32Array) -> None:
    one, two = vad.stream(), vad.stream()
    first = one.process(jfk[: 2 * SR])
    assert one.speaking and not two.speaking
    assert two.process(np.zeros(SR, dtype=np.float32)) == []
    one.reset()
    assert not one.speaking and one.machine.windows_seen == 0 and one.probability == 0.0
    assert one.process(jfk[: 2 * SR]) == first
    assert 0.0 <= one.probability <= 1.0


def _start_delay_ms(vad: SileroVAD, before: Float32Array, speech: Float32Array) -> float:
    """Audio time from the start of `speech` (after `before`) until `speech_start` is decided."""
    stream = vad.stream()
    audio = np.concatenate([before, speech])
    for i in range(0, audio.size, 320):  # 20 ms frames, as a client sends them
        for event in stream.process(audio[i : i + 320]):
            if event.kind == "speech_start" and event.t * SR >= before.size - 0.1 * SR:
                return (i + 320 - before.size) / SR * 1000
    raise AssertionError("speech_start never came")


def test_each_utterance_starts_as_promptly_as_the_first(
    vad: SileroVAD, jfk: Float32Array, lecture: Float32Array
) -> None:
    """Speech, 4 s of silence, then speech again (the user barging in on a reply): the second onset
    is decided as soon as on a fresh stream, whatever the frames' alignment to Silero's windows."""
    earlier = np.concatenate([lecture[: 5 * SR], np.zeros(4 * SR, dtype=np.float32)])
    remembering = SileroVAD.load(forget_after_ms=0)
    slow = []
    for offset in range(0, 512, 64):
        before = np.concatenate([earlier, np.zeros(offset, dtype=np.float32)])
        fresh = _start_delay_ms(vad, np.zeros(before.size, dtype=np.float32), jfk)
        assert _start_delay_ms(vad, before, jfk) <= fresh + 32  # one window at most
        slow.append(_start_delay_ms(remembering, before, jfk) - fresh)
    # without forgetting, the LSTM's memory of the earlier speech holds the onset back
    assert max(slow) >= 96


def test_forgetting_keeps_silence_and_noise_quiet(vad: SileroVAD, jfk: Float32Array) -> None:
    rng = np.random.default_rng(1)
    stream = vad.stream()
    stream.process(np.concatenate([jfk, np.zeros(2 * SR, dtype=np.float32)]))
    assert not stream.speaking
    noise = (rng.standard_normal(10 * SR) * 0.01).astype(np.float32)
    assert stream.process(noise) == []  # the zeroed state takes no noise for speech
    with pytest.raises(ValueError):
        SileroVAD.load(forget_after_ms=-1)
