"""A preemptive reply: the brain's answer to the speculative transcript, prepared during the
endpoint wait and held until the turn is final.

    TurnLikelyEnding ─▶ HeldReply(conversation.preempt(turn)) ── runs the graph, buffers its events,
                                                                 synthesises the first sentence
    UserSpeech, same turn and words ─▶ commit(): the held events and audio play at once
    TurnResumed / other words / a typed turn ─▶ discard(): cancelled, nothing sent, nothing stored

Nothing of a held reply reaches the caller before `commit`: its events wait in a queue that only
the committed reply reads; its first sentence is synthesised into memory in a `SpeculativeLane`
(below every real reply's TTS; promoted on commit); the brain holds its writes (`Preemption`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from time import monotonic
from typing import cast

from voice_io.likely import TurnLikelyEnding
from voice_io.metrics import PREEMPTIVE_REPLIES, TurnTimer
from voice_io.protocols import TTS, Preemption, Preemptive, ReplyEvent, Say, UserTurn
from voice_io.reply import ReplyController
from voice_io.turns import UserSpeech
from voice_io.workers import SpeculativeLane

log = logging.getLogger(__name__)

_END = object()
_WORDS = re.compile(r"[^\w']+")


def normalised(text: str) -> str:
    """The words of a transcript, lower case, without punctuation (for the commit decision)."""
    return " ".join(_WORDS.sub(" ", text.lower()).split())


def user_turn(speech: UserSpeech | TurnLikelyEnding, *, agent_ended_at: float | None) -> UserTurn:
    """The brain's turn for a `UserSpeech` or a `TurnLikelyEnding` (built the same way for both)."""
    delay = None if agent_ended_at is None else max(0.0, speech.onset_at - agent_ended_at)
    return UserTurn(
        turn_id=speech.turn_id,
        text=speech.text,
        source="voice",
        words=speech.words,
        audio_s=speech.audio_s,
        response_delay_s=delay,
        pauses_s=speech.pauses_s,
    )


def same_turn(held: UserTurn, final: UserTurn) -> bool:
    """The final turn is the one the held reply answers: same id and words, same audio measures
    (the brain's fluency metrics read them; a committed reply must be what a fresh one would be)."""
    return (
        held.turn_id == final.turn_id
        and normalised(held.text) == normalised(final.text)
        and held.words == final.words
        and held.audio_s == final.audio_s
        and held.pauses_s == final.pauses_s
        and held.response_delay_s == final.response_delay_s
    )


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


class HeldReply:
    """One preemptive reply, running from construction until `commit` or `discard`."""

    def __init__(self, preemption: Preemption, *, turn: UserTurn, tts: TTS, started_at: float) -> None:
        self.turn = turn
        self.started_at = started_at
        self._preemption = preemption
        self._tts = tts
        self._lane = SpeculativeLane()
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._first: tuple[str, asyncio.Task[list[bytes]]] | None = None
        with self._lane.active():
            self._pump = asyncio.create_task(self._run(), name=f"preempt-{turn.turn_id}")
        self.settled = False

    async def _run(self) -> None:
        try:
            async for event in self._preemption.events():
                self._queue.put_nowait(event)
                # the first sentence is synthesised ahead only while held (after the commit the
                # Speaker synthesises as it always does)
                if isinstance(event, Say) and self._first is None and not self.settled and event.text.strip():
                    text = event.text.strip()
                    self._first = (text, asyncio.create_task(self._synthesise(text), name="preempt-tts"))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # played (reported) only if committed
            self._queue.put_nowait(_Failed(exc))
        self._queue.put_nowait(_END)

    async def _synthesise(self, text: str) -> list[bytes]:
        return [pcm async for pcm in self._tts.synthesize(text)]

    async def commit(self) -> tuple[AsyncIterator[ReplyEvent], TTS]:
        """The turn is final and is this one: the reply's events and a TTS that has its first
        sentence ready. Iterating the events to the end, or cancelling it, ends the held run."""
        self.settled = True
        self._lane.promote()
        await self._preemption.commit()
        return self._replay(), _PrefetchedTTS(self._tts, self._first)  # None: not said yet

    async def discard(self) -> None:
        """Stale: stop the run and its synthesis; the brain drops what it held."""
        if self.settled:
            return
        self.settled = True
        tasks = [self._pump] + ([self._first[1]] if self._first is not None else [])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            await self._preemption.discard()
        except Exception:
            log.exception("discarding the preemptive reply to %s failed", self.turn.turn_id)

    async def _replay(self) -> AsyncIterator[ReplyEvent]:
        try:
            while True:
                item = await self._queue.get()
                if item is _END:
                    return
                if isinstance(item, _Failed):
                    raise item.error
                yield cast(ReplyEvent, item)
        finally:  # a barge-in cancels the reply: the run stops with it
            if not self._pump.done():
                self._pump.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.gather(self._pump, return_exceptions=True)


class _PrefetchedTTS:
    """The session's TTS, except that the held reply's first sentence comes from memory."""

    def __init__(self, tts: TTS, first: tuple[str, asyncio.Task[list[bytes]]] | None) -> None:
        self.name = tts.name
        self.sample_rate = tts.sample_rate
        self._tts = tts
        self._first = first

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        first, self._first = self._first, None
        if first is not None and first[0] == text.strip():
            for pcm in await first[1]:  # a barge-in while it is still synthesising cancels it
                yield pcm
            return
        async for pcm in self._tts.synthesize(text):
            yield pcm


class Preempter:
    """The session's preemptive replies: at most one held at a time, committed or discarded.

    `committed`/`discarded` count the outcomes over the session; `discards_since_turn` those since
    the last spoken turn (reported in the next one's `turn.metrics`).
    """

    def __init__(
        self, *, enabled: bool, tts: TTS, replies: ReplyController, clock: Callable[[], float] = monotonic
    ) -> None:
        self.enabled = enabled
        self._tts = tts
        self._replies = replies
        self._clock = clock
        self._held: HeldReply | None = None
        self._discarding: asyncio.Task[None] | None = None
        self.committed = 0
        self.discarded = 0
        self.discards_since_turn = 0

    def prepare(self, conversation: object, turn: UserTurn) -> bool:
        """Start preparing the reply to `turn` (a `TurnLikelyEnding`'s), if the conversation can and
        the agent is silent (no reply running or interrupted), and none is held already."""
        replies = self._replies
        if (
            not self.enabled
            or not isinstance(conversation, Preemptive)
            or self._held is not None
            or replies.busy
            or replies.interrupted
        ):
            return False
        pending = self._discarding  # the rewinds so far: this run starts from the state they leave

        async def before() -> None:
            if pending is not None:
                await asyncio.gather(pending, return_exceptions=True)
            await replies.wait_heard()

        preemption = _after(before, conversation.preempt, turn)
        self._held = HeldReply(preemption, turn=turn, tts=self._tts, started_at=self._clock())
        log.debug("preparing the reply to %s on %r", turn.turn_id, turn.text)
        return True

    async def take(self, final: UserTurn, timer: TurnTimer) -> tuple[AsyncIterator[ReplyEvent], TTS] | None:
        """The final turn: the held reply's events and TTS when it answers this turn (committed),
        else None (anything held is discarded; a discard still rewinding is waited for). `timer`
        gets the outcome (`preempted`, `preempt_lead_s`) and the discards since the last turn."""
        held, self._held = self._held, None
        if held is not None and not same_turn(held.turn, final):
            log.info("preemptive reply to %r discarded: the turn ended as %r", held.turn.text, final.text)
            await self._discard(held)
            held = None
        timer.preempt_discards, self.discards_since_turn = self.discards_since_turn, 0
        if held is None:
            await self._settled()
            return None
        timer.preempted, timer.preempt_lead_s = True, self._clock() - held.started_at
        self.committed += 1
        PREEMPTIVE_REPLIES.labels(outcome="committed").inc()
        return await held.commit()

    async def drop(self, turn_id: str | None = None) -> None:
        """Discard the held reply (of `turn_id` only, when given): it went stale."""
        held = self._held
        if held is None or (turn_id is not None and held.turn.turn_id != turn_id):
            return
        self._held = None
        await self._discard(held)

    async def _discard(self, held: HeldReply) -> None:
        self.discarded += 1
        self.discards_since_turn += 1
        PREEMPTIVE_REPLIES.labels(outcome="discarded").inc()
        previous = self._discarding

        async def discard() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            await held.discard()

        # its own task: the brain's rewind completes even if the caller is cancelled meanwhile
        self._discarding = asyncio.create_task(discard(), name=f"preempt-discard-{held.turn.turn_id}")
        await asyncio.shield(self._discarding)

    async def _settled(self) -> None:
        """Until every discard so far has rewound the brain."""
        if self._discarding is not None:
            await asyncio.gather(self._discarding, return_exceptions=True)


class _after:
    """A `Preemption` created only once `before` has run (inside the held reply's task)."""

    def __init__(
        self,
        before: Callable[[], Awaitable[None]],
        preempt: Callable[[UserTurn], Preemption],
        turn: UserTurn,
    ) -> None:
        self._before = before
        self._preempt = preempt
        self._turn = turn
        self._inner: Preemption | None = None
        self._committed = False

    async def events(self) -> AsyncIterator[ReplyEvent]:
        await self._before()
        self._inner = inner = self._preempt(self._turn)
        if self._committed:  # committed while `before` ran
            await inner.commit()
        async for event in inner.events():
            yield event

    async def commit(self) -> None:
        self._committed = True
        if self._inner is not None:
            await self._inner.commit()

    async def discard(self) -> None:
        if self._inner is not None:
            await self._inner.discard()
