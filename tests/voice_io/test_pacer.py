"""Playout pacing and the play-head estimate, on a virtual clock."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes import VirtualClock
from voice_io.pacer import Playout, frames

RATE = 16_000
FRAME = b"\x00\x00" * (RATE // 25)  # 40 ms


def playout(clock: VirtualClock, lead_s: float = 0.3) -> Playout:
    return Playout(sample_rate=RATE, lead_s=lead_s, clock=clock, sleep=clock.sleep)


async def test_audio_is_sent_at_most_lead_ahead_of_the_play_head() -> None:
    clock = VirtualClock()
    out = playout(clock)
    sent_at: list[float] = []

    async def send(n: int) -> None:
        for _ in range(n):
            await out.wait_to_send()
            out.on_sent(len(FRAME))
            sent_at.append(clock())

    task = asyncio.create_task(send(50))  # 2 s of audio
    for _ in range(100):
        await clock.advance(0.04)
    await task
    assert out.sent_s == pytest.approx(2.0)
    # every frame went out no more than lead_s (plus one frame) ahead of real time
    for i, at in enumerate(sent_at):
        assert i * 0.04 - at <= 0.3 + 0.04 + 1e-9


async def test_the_play_head_follows_the_clock_and_never_passes_what_was_sent() -> None:
    clock = VirtualClock()
    out = playout(clock)
    assert out.played_s() == 0.0
    for _ in range(10):  # 0.4 s sent at once
        out.on_sent(len(FRAME))
    await clock.advance(0.1)
    assert out.played_s() == pytest.approx(0.1)
    await clock.advance(1.0)
    assert out.played_s() == pytest.approx(0.4)


async def test_a_client_that_ran_dry_resumes_from_the_next_frame() -> None:
    clock = VirtualClock()
    out = playout(clock)
    out.on_sent(len(FRAME))
    await clock.advance(1.0)  # TTS was slow: the client played 40 ms, then waited
    out.on_sent(len(FRAME))
    await clock.advance(0.02)
    assert out.played_s() == pytest.approx(0.06)


async def test_wait_played_returns_once_everything_sent_has_played() -> None:
    clock = VirtualClock()
    out = playout(clock)
    await out.wait_played()  # nothing sent: returns at once
    for _ in range(5):
        out.on_sent(len(FRAME))
    waiter = asyncio.create_task(out.wait_played())
    await clock.advance(0.1)
    assert not waiter.done()
    await clock.advance(0.11)
    assert waiter.done()


def test_frames_split_pcm_into_whole_samples() -> None:
    pcm = b"\x01\x00" * 1000
    chunks = list(frames(pcm, sample_rate=RATE, frame_ms=40))
    assert [len(c) for c in chunks] == [1280] * 1 + [720]
    assert b"".join(chunks) == pcm
    assert all(len(c) % 2 == 0 for c in frames(b"\x00" * 10, sample_rate=8, frame_ms=1))
