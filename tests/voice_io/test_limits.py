"""The caller's audio rate and bad-input budget."""

from __future__ import annotations

from voice_io.limits import FrameLimiter


def test_frames_over_the_rate_are_dropped_and_do_not_count() -> None:
    limiter = FrameLimiter(max_frames_per_s=3, max_audio_bytes_per_s=10_000)
    assert [limiter.admit(0.1 * i, 640) for i in range(5)] == [True, True, True, False, False]
    assert limiter.admit(1.05, 640)  # the first frame has left the one-second window


def test_bytes_over_the_rate_are_dropped() -> None:
    limiter = FrameLimiter(max_frames_per_s=100, max_audio_bytes_per_s=1_000)
    assert limiter.admit(0.0, 600) and not limiter.admit(0.1, 600) and limiter.admit(0.2, 400)


def test_bad_input_closes_only_past_the_budget_within_the_window() -> None:
    limiter = FrameLimiter(max_bad=3, bad_window_s=10.0)
    assert [limiter.bad(float(t)) for t in range(4)] == [False, False, False, True]
    spaced = FrameLimiter(max_bad=3, bad_window_s=10.0)
    assert not any(spaced.bad(6.0 * t) for t in range(20))  # now and then is no abuse


def test_once_a_second_per_key() -> None:
    limiter = FrameLimiter()
    assert limiter.once_a_second("rate", 0.0) and not limiter.once_a_second("rate", 0.5)
    assert limiter.once_a_second("idle", 0.5) and limiter.once_a_second("rate", 1.0)
