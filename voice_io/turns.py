"""One user turn, end to end: caller audio → `Listener` segments → one finished `UserSpeech`.

The detector alone decides when the user's turn is over and what they said:

- **carry**: speech that resumes before the turn is handed on (while it is transcribed, or in its
  grace) joins the same turn; both parts go to Whisper together (a fragment alone loses its
  context: "ask not … what your country" came back as "Ask not! Like your country" when split);
- **speculation**: the Listener's decode started in a pause (`speculate_after_s`) is used when it covers the
  turn, so the transcript is often ready at the endpoint;
- **early endpoint**: with an end-of-turn model, a short pause it judges final ends the turn before
  the VAD's fixed min-silence (`voice_io.endpoint.EarlyEndpoint`);
- **grace**: a transcript that looks cut off mid-thought waits `unfinished_grace_s` for more;
- **barge-in**: speech that began while the agent was speaking and lasted `barge_in_min_speech_s`;
- **partial transcripts** while the user speaks (never while the agent does: the CPU is for TTS);
- **likely ending** (`voice_io.likely`): the speculative transcript is in while the user is still
  silent (`TurnLikelyEnding`: a reply may be prepared on it), or that went stale (`TurnResumed`).

It reports through one callback, in order: VAD transitions (`VADEvent`), `Partial`, `BargeIn`,
`STTFailed`, `TurnLikelyEnding`/`TurnResumed` and `UserSpeech` (also for speech without words, so
that noise after a barge-in can resume the agent).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import monotonic

import numpy as np

from voice_io.config import SessionConfig
from voice_io.endpoint import EarlyEndpoint, looks_unfinished, thinking_aloud
from voice_io.errors import STTError
from voice_io.likely import LikelyEnding, SpokenTurn, TurnLikelyEnding, TurnResumed, covered_s
from voice_io.listener import Listener, Segment
from voice_io.metrics import TurnTimer
from voice_io.pacer import Sleep
from voice_io.protocols import INPUT_RATE, STT, EndOfTurn, Float32Array, VADEvent, VADStream
from voice_io.workers import QueueTimes, low_priority, models_idle, timing

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Partial:
    """A provisional transcript of the speech so far (may be revised)."""

    turn_id: str
    text: str


@dataclass(frozen=True, slots=True)
class BargeIn:
    """The user has spoken over the agent long enough to interrupt it."""


@dataclass(frozen=True, slots=True)
class STTFailed:
    error: STTError


@dataclass(frozen=True, slots=True)
class UserSpeech(SpokenTurn):
    """One finished spoken turn."""

    timer: TurnTimer


TurnEvent = VADEvent | Partial | BargeIn | STTFailed | TurnLikelyEnding | TurnResumed | UserSpeech


def new_turn_id() -> str:
    return uuid.uuid4().hex[:12]


class TurnDetector:
    def __init__(
        self,
        *,
        vad: VADStream,
        stt: STT,
        sample_rate: int,
        on_event: Callable[[TurnEvent], Awaitable[None]],
        agent_speaking: Callable[[], bool],
        config: SessionConfig | None = None,
        clock: Callable[[], float] = monotonic,
        sleep: Sleep = asyncio.sleep,
        end_of_turn: EndOfTurn | None = None,
        word_timing: bool = True,
    ) -> None:
        """`word_timing`: final (and speculative) decodes give word timestamps and probabilities."""
        self.config = config or SessionConfig()
        self._on_event = on_event
        self._agent_speaking = agent_speaking
        self._clock = clock
        self._sleep = sleep
        self._listener = Listener(
            vad=vad,
            stt=stt,
            sample_rate=sample_rate,
            on_event=self._on_vad,
            stt_prompt=self.config.stt_prompt,
            clock=clock,
            speculate_after_s=self.config.speculate_after_s,
            sleep=sleep,
            word_timing=word_timing,
        )
        self._early = EarlyEndpoint.of(self._listener, end_of_turn, self.config)
        self._turn_id = new_turn_id()
        """The id of the turn being spoken (partials and the final transcript carry it)."""
        self._pending: asyncio.Task[None] | None = None
        """The turn being transcribed or in its grace: speech that resumes now joins it."""
        self._pending_segment: Segment | None = None
        self._carry: Segment | None = None
        self._onset_at: float | None = None
        self._barge_onset: int | None = None
        self._partial_task: asyncio.Task[None] | None = None
        self._partial_at = 0.0
        self._likely = LikelyEnding(self._listener, self._on_event)
        self._segments = asyncio.create_task(self._take_segments(), name="segments")

    async def feed(self, pcm: bytes) -> None:
        """One frame of caller audio (PCM s16le at the session's sample rate)."""
        listener = self._listener
        await listener.feed_pcm16(pcm)
        self._early.check()
        if self._barge_onset is not None:
            if not listener.speaking:
                self._barge_onset = None
            elif (listener.now_index - self._barge_onset) / INPUT_RATE >= self.config.barge_in_min_speech_s:
                self._barge_onset = None
                if self._agent_speaking():
                    await self._on_event(BargeIn())
        self._maybe_partial()

    async def cancel(self) -> None:
        """Drop the spoken turn not handed on yet (a typed turn or the session's end overrides it)."""
        self._likely.stop()
        task, self._pending = self._pending, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def settle_endpoint(self) -> None:
        """Wait for an end-of-turn verdict in flight (see `EarlyEndpoint.settle`)."""
        await self._early.settle()

    def close(self) -> None:
        self._listener.close()
        self._likely.stop()
        self._early.close()
        for task in (self._segments, self._partial_task, self._pending):
            if task is not None and not task.done() and task is not asyncio.current_task():
                task.cancel()

    # ------------------------------------------------------------------ listening

    async def _on_vad(self, event: VADEvent) -> None:
        if event.kind in ("speech_start", "speech_end"):
            await self._on_event(event)
        if event.kind == "silence_start":
            self._likely.watch(turn_id=self._turn_id, carry=self._carry, onset_at=self._onset_at)
        elif event.kind == "speech_resume":
            await self._likely.resumed()
        if event.kind != "speech_start":
            return
        index = int(event.t * INPUT_RATE)
        self._partial_at = self._clock()
        if self._pending is not None and not self._pending.done():
            await self._likely.resumed()
            # the user went on talking before we answered: one turn, not two
            self._carry = self._pending_segment
            if self._carry is not None:
                self._listener.continue_turn(self._carry.audio)
            await self.cancel()
        else:
            self._onset_at = self._listener.arrival_of(index)
            if self._agent_speaking():
                self._barge_onset = index

    def _maybe_partial(self) -> None:
        listener = self._listener
        if (
            listener.voiced  # not while a pause may be the endpoint: the speculative decode goes first
            and self._clock() - self._partial_at >= self.config.partial_interval_s
            and (self._partial_task is None or self._partial_task.done())
            and listener.stt_in_flight == 0
            and not self._agent_speaking()
            and (self._pending is None or self._pending.done())
            and models_idle()  # another session's turn or reply first (a decode can't be stopped)
        ):
            audio = listener.open_audio()
            if audio is not None and len(audio) >= INPUT_RATE // 2:
                self._partial_at = self._clock()
                self._partial_task = asyncio.create_task(self._partial(audio), name="stt-partial")

    async def _partial(self, audio: Float32Array) -> None:
        turn_id = self._turn_id
        try:
            with low_priority():
                transcript = await self._listener.transcribe(audio, word_timestamps=False)
        except STTError:
            return
        finally:
            # the next partial waits a full interval after this one *ends*: Whisper costs ~0.5 s a
            # call here, and the endpoint's decode must not queue behind partials
            self._partial_at = self._clock()
        text = transcript.text.strip()
        if text and self._turn_id == turn_id and self._listener.speaking:
            await self._on_event(Partial(turn_id=turn_id, text=text))

    # ------------------------------------------------------------------ one turn

    async def _take_segments(self) -> None:
        while True:
            segment = await self._listener.segments.get()
            carry, self._carry = self._carry, None
            if carry is not None:
                segment = _joined(carry, segment)
            self._pending_segment = segment
            self._pending = asyncio.create_task(self._turn(segment), name="user-turn")
            self._pending.add_done_callback(_log_failure)

    async def _turn(self, segment: Segment) -> None:
        turn_id, self._turn_id = self._turn_id, new_turn_id()
        timer = TurnTimer(
            turn_id=turn_id,
            speech_end=segment.speech_end_at,
            accepted=self._clock(),
            endpoint_silence_s=self.config.designed_wait_s(segment.ended_by),
            endpoint_by=segment.ended_by,
            eot_probability=segment.eot_probability,
        )
        started = self._clock()
        spec = segment.speculation
        try:
            if spec is not None and not spec.task.cancelled():
                if spec.lane is not None:
                    spec.lane.promote()  # the endpoint came: it is this turn's final decode now
                timer.speculative_stt = True
                started = spec.started
                times = spec.times
                transcript = await spec.task
                audio_s = covered_s(spec, segment.start)  # as its TurnLikelyEnding said
            else:
                with timing(QueueTimes()) as times:
                    transcript = await self._listener.transcribe(segment.audio)
                audio_s = segment.duration_s
        except STTError as exc:
            self._pending = None
            await self._on_event(STTFailed(exc))
            return
        timer.transcript = self._clock()
        timer.stt_queue_s = times.waited.get("stt", 0.0)
        timer.stt_compute_s = timer.transcript - started - timer.stt_queue_s
        text = transcript.text.strip()
        log.debug(
            "turn %s: %.1f s of speech -> %r (stt %.0f ms, speculative=%s)",
            turn_id,
            segment.duration_s,
            text,
            timer.stt_compute_s * 1000,
            timer.speculative_stt,
        )
        grace = self.config.thinking_grace_s if thinking_aloud(text) else self.config.unfinished_grace_s
        if text and looks_unfinished(text) and grace > 0:
            # probably mid-thought: if the user goes on within the grace, both parts form one turn
            await self._sleep(grace)
            timer.grace_s = grace
        self._pending = None  # handed on: speech from now on is a new turn
        self._likely.handed_on(turn_id)
        onset_at = self._onset_at if self._onset_at is not None else segment.speech_end_at
        await self._on_event(
            UserSpeech(
                turn_id=turn_id,
                text=text,
                words=transcript.words,
                audio_s=audio_s,
                pauses_s=segment.pauses_s,
                onset_at=onset_at,
                timer=timer,
            )
        )


def _joined(carry: Segment, segment: Segment) -> Segment:
    """The turn's earlier part and its continuation, as one segment (the pause between them kept)."""
    spec = segment.speculation
    return Segment(
        start=carry.start,
        end=segment.end,
        audio=np.concatenate([carry.audio, segment.audio]),
        speech_end_at=segment.speech_end_at,
        pauses_s=(*carry.pauses_s, (segment.start - carry.end) / INPUT_RATE, *segment.pauses_s),
        # the speculative decode covers the whole turn only when it had the earlier part in front
        speculation=spec if spec is not None and spec.context is carry.audio else None,
        ended_by=segment.ended_by,
        eot_probability=segment.eot_probability,
    )


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s failed", task.get_name(), exc_info=task.exception())
