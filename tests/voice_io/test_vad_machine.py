"""VADMachine with scripted probabilities: one probability per 32 ms window."""

from __future__ import annotations

import pytest

from voice_io.protocols import VADEvent
from voice_io.vad import VADMachine, VADState

W = 0.032  # window length in seconds


def run(machine: VADMachine, probs: list[float]) -> list[tuple[str, float]]:
    events: list[VADEvent] = []
    for p in probs:
        events.extend(machine.feed(p))
    return [(e.kind, round(e.t, 4)) for e in events]


def machine(**kw: float) -> VADMachine:
    defaults: dict[str, float] = {
        "threshold": 0.5,
        "min_speech_ms": 96,
        "min_silence_ms": 160,
        "speech_pad_ms": 64,
    }
    defaults.update(kw)
    return VADMachine(**defaults)


def test_silence_emits_nothing() -> None:
    m = machine()
    assert run(m, [0.0, 0.1, 0.3, 0.49] * 20) == []
    assert m.state is VADState.QUIET and not m.speaking


def test_speech_start_after_min_speech_with_padded_onset() -> None:
    m = machine()
    # quiet for 10 windows, then voiced from window 10 (t = 0.32 s)
    probs = [0.1] * 10 + [0.9, 0.9]
    assert run(m, probs) == []
    assert m.state is VADState.STARTING and not m.speaking
    # third voiced window completes 96 ms of speech
    [event] = m.feed(0.9)
    assert event.kind == "speech_start" and event.t == pytest.approx(0.32 - 0.064)
    assert m.speaking


def test_onset_padding_never_goes_before_zero() -> None:
    assert run(machine(), [0.9, 0.9, 0.9]) == [("speech_start", 0.0)]


def test_short_blip_is_not_speech() -> None:
    m = machine()
    assert run(m, [0.1, 0.9, 0.9, 0.1, 0.1, 0.9, 0.1]) == []
    assert m.state is VADState.QUIET


def test_full_utterance_event_sequence() -> None:
    m = machine()
    probs = [0.0] * 5 + [0.9] * 10 + [0.0] * 5 + [0.0] * 3
    events = run(m, probs)
    speech_end_at = round(15 * W + 0.064, 4)  # end of last voiced window + pad
    assert events == [
        ("speech_start", round(5 * W - 0.064, 4)),
        ("silence_start", round(15 * W, 4)),
        ("speech_end", speech_end_at),
    ]
    assert not m.speaking


def test_speech_end_fires_only_after_min_silence() -> None:
    m = machine(min_silence_ms=480)  # 15 windows
    run(m, [0.9] * 5)
    fired_at = None
    for i in range(30):
        if any(e.kind == "speech_end" for e in m.feed(0.0)):
            fired_at = i + 1
            break
    assert fired_at == 15


def test_pause_shorter_than_min_silence_resumes() -> None:
    m = machine()
    probs = [0.9] * 5 + [0.0] * 4 + [0.9] * 3
    assert run(m, probs) == [
        ("speech_start", 0.0),
        ("silence_start", round(5 * W, 4)),
        ("speech_resume", round(9 * W, 4)),
    ]
    assert m.speaking and m.state is VADState.SPEAKING


def test_hysteresis_keeps_speech_between_exit_and_entry_threshold() -> None:
    m = machine()  # exit threshold 0.35
    events = run(m, [0.9] * 3 + [0.4] * 20)
    assert events == [("speech_start", 0.0)]
    # 0.4 would not have started speech
    assert run(machine(), [0.4] * 20) == []
    # below the exit threshold it stops
    assert run(m, [0.3])[0][0] == "silence_start"


def test_explicit_exit_threshold() -> None:
    m = machine(exit_threshold=0.5)
    events = run(m, [0.9] * 3 + [0.45])
    assert [k for k, _ in events] == ["speech_start", "silence_start"]


def test_second_utterance_onset_not_before_previous_end() -> None:
    m = machine(min_silence_ms=64, speech_pad_ms=200)
    events = run(m, [0.9] * 3 + [0.0] * 2 + [0.9] * 3)
    ends = [t for k, t in events if k == "speech_end"]
    starts = [t for k, t in events if k == "speech_start"]
    assert len(starts) == 2 and len(ends) == 1
    assert starts[1] >= ends[0]


def test_speech_end_padding_never_beyond_audio_seen() -> None:
    m = machine(min_silence_ms=32, speech_pad_ms=500)
    events = run(m, [0.9] * 3 + [0.0])
    assert events[-1] == ("speech_end", round(4 * W, 4))


def test_reset_returns_to_quiet_and_restarts_clock() -> None:
    m = machine()
    run(m, [0.9] * 5)
    m.reset()
    assert m.state is VADState.QUIET and m.windows_seen == 0
    assert run(m, [0.1, 0.9, 0.9, 0.9]) == [("speech_start", 0.0)]


def test_events_alternate_over_a_long_random_script() -> None:
    import random

    rng = random.Random(7)
    m = machine()
    probs = []
    for _ in range(200):
        probs += [rng.choice([0.05, 0.95])] * rng.randint(1, 12)
    kinds = [k for k, _ in run(m, probs)]
    assert "speech_start" in kinds and "speech_end" in kinds
    speaking = False
    pausing = False
    for k in kinds:
        if k == "speech_start":
            assert not speaking
            speaking, pausing = True, False
        elif k == "silence_start":
            assert speaking and not pausing
            pausing = True
        elif k == "speech_resume":
            assert speaking and pausing
            pausing = False
        else:
            assert speaking and pausing
            speaking = pausing = False


@pytest.mark.parametrize(
    "kw",
    [{"threshold": 0.0}, {"threshold": 1.0}, {"exit_threshold": 0.8}, {"min_silence_ms": -1}],
)
def test_bad_settings_rejected(kw: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        machine(**kw)
