"""The agent's side of the conversation: one reply task at a time, barge-in, resume, heard text.

Barge-in cancels the running reply task as a unit, flushes the transport, sends `interrupted` with
the heard text, and keeps the interruption pending until the user's words are known: a pure
backchannel ("mm-hm") or a noise resumes the unheard rest of the reply as a new utterance of the
same turn; anything else records only the heard part in the conversation. What was heard is
recorded per message (`Conversation.record_heard`), shielded from later barge-ins and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from time import monotonic

from voice_io.config import SessionConfig
from voice_io.errors import EngineError
from voice_io.metrics import TurnTimer
from voice_io.pacer import Sleep
from voice_io.protocols import TTS, Conversation, Finished, ReplyEvent, Say
from voice_io.speaker import Speaker
from voice_io.transport import Transport
from voice_io.utterance import Sentence, Utterance, join_messages

log = logging.getLogger(__name__)


@dataclass(kw_only=True, eq=False)
class ReplyController:
    transport: Transport
    tts: TTS
    config: SessionConfig
    report: Callable[[str, str], Awaitable[None]]
    on_finished: Callable[[Finished], Awaitable[None]]
    clock: Callable[[], float] = monotonic
    sleep: Sleep = asyncio.sleep

    def __post_init__(self) -> None:
        self.conversation: Conversation | None = None
        self.ended_at: float | None = None
        """When the agent last stopped speaking (played out or interrupted)."""
        self._task: asyncio.Task[None] | None = None
        self._speaker: Speaker | None = None
        self._interrupted: Utterance | None = None
        self._heard_task: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        """A reply is running or still playing."""
        return self._task is not None and not self._task.done()

    @property
    def interrupted(self) -> bool:
        """A barge-in is waiting for the user's words (backchannel → resume, else → commit)."""
        return self._interrupted is not None

    async def start(
        self,
        events: AsyncIterator[ReplyEvent],
        *,
        turn_id: str,
        timer: TurnTimer | None,
        resumes: Utterance | None = None,
        tts: TTS | None = None,
    ) -> None:
        """Speak `events` (with `tts`, default the session's: a preemptive reply brings its own)."""
        await self.wait_heard()
        speaker = Speaker(
            transport=self.transport,
            tts=tts or self.tts,
            turn_id=turn_id,
            timer=timer,
            lead_s=self.config.lead_s,
            frame_ms=self.config.frame_ms,
            on_error=self._engine_error,
            on_metrics=self._store_metrics,
            clock=self.clock,
            sleep=self.sleep,
        )
        if resumes is not None:
            speaker.utterance.before = resumes.messages()
            speaker.utterance.finished = resumes.finished
        self._speaker = speaker
        self._task = asyncio.create_task(self._run(speaker, events), name=f"reply-{turn_id}")

    async def take_the_floor(self) -> None:
        """The user's turn overrides the agent: interrupt it, settle a pending interruption and
        store what was heard (before the new turn shows: a client reconnecting at once sees it)."""
        if self.busy:
            await self.interrupt(notify=True)
        self.commit_interruption()
        await self.wait_heard()

    async def interrupt(self, *, notify: bool) -> None:
        """Barge-in: cancel the running reply as one unit; nothing of it is sent afterwards."""
        task, speaker = self._task, self._speaker
        if task is None or speaker is None:
            return
        if speaker.utterance.audio_ended:
            # it has played to the end and is only finishing its bookkeeping: not an interruption
            await asyncio.gather(task, return_exceptions=True)
            if self._task is task:
                self._task = None
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        self._task = None
        utt = speaker.utterance
        utt.freeze()
        self.ended_at = self.clock()
        if notify and utt.audio_started:
            with contextlib.suppress(ConnectionError):
                await self.transport.flush()
                await self.transport.send_event(
                    {"type": "interrupted", "utterance_id": utt.utterance_id, "heard_text": utt.heard_text()}
                )
        log.info("barge-in on %s: heard %r", utt.utterance_id, utt.heard_text())
        self._interrupted = utt
        if utt.finished is not None:  # the wrap-up was cut short: the conversation is over anyway
            self.commit_interruption()
            await self.on_finished(utt.finished)

    async def resume_or_commit(self, *, text: str) -> None:
        """The barge-in was a backchannel or noise: go on with what the user has not heard yet."""
        utt, self._interrupted = self._interrupted, None
        if utt is None:
            return
        rest = utt.unheard()
        if not rest:
            self._record(utt, interrupted=True)
            return
        log.info("backchannel %r: resuming %d sentences", text, len(rest))
        await self.start(_say(rest), turn_id=utt.turn_id, timer=None, resumes=utt)

    def commit_interruption(self) -> None:
        utt, self._interrupted = self._interrupted, None
        if utt is not None:
            self._record(utt, interrupted=True)

    async def wait_heard(self) -> None:
        """Until what was heard of earlier replies is stored."""
        if self._heard_task is not None:
            await asyncio.gather(self._heard_task, return_exceptions=True)
            self._heard_task = None

    async def close(self) -> None:
        """The caller is gone: stop speaking, keep what was heard."""
        if self.busy:
            await self.interrupt(notify=False)
        self.commit_interruption()
        await self.wait_heard()

    async def _run(self, speaker: Speaker, events: AsyncIterator[ReplyEvent]) -> None:
        try:
            utt = await speaker.run(events)
        except Exception:  # e.g. the caller went away mid-reply: keep what was heard
            log.exception("reply %s stopped", speaker.utterance.turn_id)
            speaker.utterance.freeze()
            self._record(speaker.utterance, interrupted=True)
            return
        self.ended_at = self.clock()
        self._record(utt, interrupted=False)
        if utt.finished is not None:
            await self.on_finished(utt.finished)

    def _store_metrics(self, message: dict[str, object]) -> None:
        if self.conversation is not None:
            metrics = {k: v for k, v in message.items() if k not in ("type", "turn_id")}
            self.conversation.record_metrics(turn_id=str(message["turn_id"]), metrics=metrics)

    async def _engine_error(self, exc: Exception) -> None:
        if isinstance(exc, EngineError):
            await self.report(exc.code, exc.message)
        else:
            await self.report("internal", f"the agent failed to answer: {type(exc).__name__}")

    def _record(self, utt: Utterance, *, interrupted: bool) -> None:
        """Store what was heard in the conversation (its own task: a later barge-in can't cancel it)."""
        conversation = self.conversation
        if conversation is None:
            return
        messages = utt.messages()
        spoken, heard = join_messages(messages)
        if not spoken and not heard:
            return
        previous = self._heard_task

        async def record() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            try:
                await conversation.record_heard(
                    spoken=spoken, heard=heard, interrupted=interrupted, messages=messages
                )
            except Exception:
                log.exception("could not record what was heard")
                await self.report("internal", "could not store the last reply")

        self._heard_task = asyncio.create_task(record(), name="record-heard")


async def _say(sentences: list[Sentence]) -> AsyncIterator[ReplyEvent]:
    for sentence in sentences:
        yield Say(sentence.text, message_id=sentence.message_id)
