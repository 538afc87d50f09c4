"""The "turn likely ending" signal of `voice_io.turns.TurnDetector`.

At the first silence the Listener starts a speculative decode. Once it is in, while the user is
still silent, the turn will probably end with exactly that transcript: `TurnLikelyEnding` carries
it with the same measures its `UserSpeech` will have (so a reply prepared on it is the reply the
final turn gets). If the user speaks again first, `TurnResumed` says that it went stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from voice_io.errors import STTError
from voice_io.listener import Listener, Segment, Speculation
from voice_io.protocols import INPUT_RATE, Word


@dataclass(frozen=True, slots=True)
class SpokenTurn:
    """What was heard of a spoken turn and how it was spoken: the fields a `TurnLikelyEnding` and
    its `UserSpeech` share."""

    turn_id: str
    text: str
    """The transcript, stripped; empty when the speech held no words (noise)."""
    words: tuple[Word, ...]
    audio_s: float
    pauses_s: tuple[float, ...]
    onset_at: float
    """Monotonic time at which the turn's first speech arrived."""


@dataclass(frozen=True, slots=True)
class TurnLikelyEnding(SpokenTurn):
    """The speculative transcript of the turn, ready while the user is silent: the turn will likely
    end with exactly this, unless a `TurnResumed` follows."""


@dataclass(frozen=True, slots=True)
class TurnResumed:
    """The user went on speaking after a `TurnLikelyEnding`: its transcript is stale."""

    turn_id: str


def covered_s(spec: Speculation, start: int) -> float:
    """Seconds of speech a speculative decode covers from the turn's `start` sample (the turn's
    `audio_s` when the decode is its transcript)."""
    return (spec.end - start) / INPUT_RATE


class LikelyEnding:
    """Watches the speculative decode of each pause; reports through `on_event`."""

    def __init__(
        self, listener: Listener, on_event: Callable[[TurnLikelyEnding | TurnResumed], Awaitable[None]]
    ) -> None:
        self._listener = listener
        self._on_event = on_event
        self._task: asyncio.Task[None] | None = None
        self._sent: str | None = None
        """The turn id of the `TurnLikelyEnding` reported, not yet stale or handed on."""

    def watch(self, *, turn_id: str, carry: Segment | None, onset_at: float | None) -> None:
        """At the first silence (`silence_start`), after the Listener started its decode."""
        listener = self._listener
        spec, start = listener.speculation, listener.open_start
        if spec is None or start is None or onset_at is None:
            return
        pauses = listener.open_pauses
        if carry is not None:  # a continuation: the decode has the earlier part in front
            if spec.context is not carry.audio:
                return
            pauses = (*carry.pauses_s, (start - carry.end) / INPUT_RATE, *pauses)
            start = carry.start
        self.stop()
        self._task = asyncio.create_task(
            self._report(spec, turn_id, covered_s(spec, start), pauses, onset_at), name="turn-likely-ending"
        )

    async def resumed(self) -> None:
        """The user speaks again: what was reported is stale."""
        self.stop()
        turn_id, self._sent = self._sent, None
        if turn_id is not None:
            await self._on_event(TurnResumed(turn_id=turn_id))

    def handed_on(self, turn_id: str) -> None:
        """The turn's `UserSpeech` is out: speech from now on is a new turn, nothing to resume."""
        if self._sent == turn_id:
            self._sent = None

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()

    async def _report(
        self,
        spec: Speculation,
        turn_id: str,
        audio_s: float,
        pauses: tuple[float, ...],
        onset_at: float,
    ) -> None:
        try:
            transcript = await asyncio.shield(spec.task)
        except (STTError, asyncio.CancelledError):
            return  # a failed decode is the turn's to report; a dropped one is stale
        text = transcript.text.strip()
        if not text:
            return
        self._sent = turn_id
        await self._on_event(
            TurnLikelyEnding(
                turn_id=turn_id, text=text, words=transcript.words, audio_s=audio_s, pauses_s=pauses,
                onset_at=onset_at,
            )
        )  # fmt: skip
