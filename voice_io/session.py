"""One client connection: the protocol state machine, turn-taking and barge-in.

    client frames ─▶ VoiceSession.handle_text / handle_audio
                         │  Listener: resample → VAD → segments (speculative STT)
                         ▼
                     user turn ─▶ Conversation.reply() ─▶ Speaker (one task per reply) ─▶ sink

Barge-in: user speech (debounced) while a reply is running or still playing cancels the reply task
as a unit, sends `interrupted` with the heard text, and keeps the interruption pending until the
user's words are known: a pure backchannel ("mm-hm") or a noise resumes the unheard rest of the
reply; anything else records only the heard part in the conversation and answers the new turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

import numpy as np

from voice_io import wire
from voice_io.endpoint import looks_unfinished
from voice_io.errors import (
    AlreadyStarted,
    ClientError,
    ConversationError,
    EngineError,
    NotStarted,
    RateLimited,
    STTError,
)
from voice_io.listener import Listener, Segment
from voice_io.metrics import TurnTimer
from voice_io.pacer import Sleep
from voice_io.protocols import (
    INPUT_RATE,
    STT,
    TTS,
    VAD,
    AudioSink,
    Conversation,
    Finished,
    ReplyEvent,
    Responder,
    Say,
    UserTurn,
    VADEvent,
)
from voice_io.speaker import Speaker, Utterance
from voice_io.text import is_backchannel

log = logging.getLogger(__name__)

CloseFn = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True)
class SessionConfig:
    lead_s: float = 0.3
    frame_ms: int = 40
    barge_in_min_speech_s: float = 0.16
    partial_interval_s: float = 1.0
    max_bad_frames: int = 20
    """Bad frames tolerated within `bad_window_s` before the socket is closed with 1008."""
    bad_window_s: float = 10.0
    max_frames_per_s: int = 200
    max_audio_bytes_per_s: int = 48_000 * 2 * 4
    stt_prompt: str | None = None
    endpoint_silence_s: float = 0.48
    """The VAD's min-silence (for the overhead figure in turn.metrics)."""
    unfinished_grace_s: float = 0.6
    """Extra wait before answering a transcript that looks cut off mid-thought."""


class VoiceSession:
    def __init__(
        self,
        *,
        sink: AudioSink,
        responder: Responder,
        vad: VAD,
        stt: STT,
        tts: TTS,
        close: CloseFn,
        config: SessionConfig | None = None,
        owner: str | None = None,
        clock: Callable[[], float] = monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._sink = sink
        self._responder = responder
        self._vad = vad
        self._stt = stt
        self._tts = tts
        self._close = close
        self.config = config or SessionConfig()
        self._owner = owner
        self._clock = clock
        self._sleep = sleep
        self.conversation: Conversation | None = None
        self._listener: Listener | None = None
        self._segments_task: asyncio.Task[None] | None = None
        self._turn_task: asyncio.Task[None] | None = None
        self._turn_segment: Segment | None = None
        self._carry: Segment | None = None
        self._reply_task: asyncio.Task[None] | None = None
        self._speaker: Speaker | None = None
        self._interrupted: Utterance | None = None
        self._heard_task: asyncio.Task[None] | None = None
        self._partial_task: asyncio.Task[None] | None = None
        self._partial_at = 0.0
        self._onset_index: int | None = None
        self._barge_onset: int | None = None
        self._onset_at: float | None = None
        self._agent_ended_at: float | None = None
        self._seg_turn_id = self._new_turn_id()
        self._bad: deque[float] = deque()
        self._frames: deque[tuple[float, int]] = deque()
        self._rate_error_at = 0.0
        self._idle_audio_error_at = float("-inf")
        self._closed = False
        self._recent: dict[str, Utterance] = {}

    # ------------------------------------------------------------------ entry points

    async def handle_text(self, raw: str) -> None:
        try:
            message = wire.parse_text(raw)
            await self._dispatch(message)
        except ClientError as exc:
            await self._client_error(exc)
        except ConversationError as exc:
            await self.error(exc.code, exc.message)

    async def handle_audio(self, data: bytes) -> None:
        try:
            wire.check_audio(data, started=True)
            self._check_rate(len(data))
        except ClientError as exc:
            await self._client_error(exc)
            return
        if self._listener is None:
            # a live mic between conversations is no abuse: say so once a second, never close
            now = self._clock()
            if now - self._idle_audio_error_at >= 1.0:
                self._idle_audio_error_at = now
                await self.error("bad_audio", "audio before session.start: send session.start first")
            return
        assert self._listener is not None
        await self._listener.feed_pcm16(data)
        await self._after_audio()

    async def close(self) -> None:
        """The connection is gone: stop everything, keep what was said."""
        if self._closed:
            return
        self._closed = True
        await self._cancel_turn()
        if self._reply_task and not self._reply_task.done():
            await self._interrupt(notify=False)
        if self._interrupted is not None:
            self._commit_interruption()
        if self._heard_task:
            await asyncio.gather(self._heard_task, return_exceptions=True)
        await self._end_conversation()

    # ------------------------------------------------------------------ messages

    async def _dispatch(self, message: wire.ClientMessage) -> None:
        if isinstance(message, wire.Ping):
            await self._send({"type": "pong", "t": message.t, "server_t": time.time() * 1000})
        elif isinstance(message, wire.SessionStart):
            await self._start(message)
        elif self.conversation is None:
            raise NotStarted("send session.start first")
        elif isinstance(message, wire.TextTurn):
            await self._text_turn(message.text)
        elif isinstance(message, wire.Playback):
            utt = self._recent.get(message.utterance_id)
            if utt is not None:
                utt.client_played_s = message.played_ms / 1000
        elif isinstance(message, wire.SessionEnd):
            await self._finish()

    async def _start(self, message: wire.SessionStart) -> None:
        if self.conversation is not None:
            raise AlreadyStarted("a conversation is already running on this connection")
        conversation = await self._responder.open(
            workflow=message.workflow,
            thread_id=message.thread_id,
            options=message.options,
            owner=self._owner,
        )
        self.conversation = conversation
        self._listener = Listener(
            vad=self._vad.stream(),
            stt=self._stt,
            sample_rate=message.sample_rate,
            on_event=self._on_vad,
            stt_prompt=self.config.stt_prompt,
            clock=self._clock,
        )
        self._segments_task = asyncio.create_task(self._take_segments(self._listener), name="segments")
        await self._send(
            {
                "type": "session.started",
                "thread_id": conversation.thread_id,
                "workflow": conversation.workflow,
                "resumed": conversation.resumed,
                "output_sample_rate": self._tts.sample_rate,
                "history": [{"role": h.role, "text": h.text} for h in conversation.history()],
            }
        )
        log.info(
            "session %s started (workflow=%s resumed=%s)",
            conversation.thread_id,
            conversation.workflow,
            conversation.resumed,
        )
        await self._start_reply(conversation.opening(), turn_id=self._new_turn_id(), timer=None)

    async def _text_turn(self, text: str) -> None:
        assert self.conversation is not None
        await self._cancel_turn()
        if self._agent_busy():
            await self._interrupt(notify=True)
        if self._interrupted is not None:
            self._commit_interruption()
        if self.conversation is None:  # the reply that just played out ended the conversation
            raise NotStarted("the conversation has ended; send session.start to begin another")
        turn_id = self._new_turn_id()
        timer = TurnTimer(turn_id=turn_id, accepted=self._clock())
        timer.transcript = timer.accepted
        await self._send({"type": "transcript", "text": text, "final": True, "turn_id": turn_id})
        turn = UserTurn(turn_id=turn_id, text=text, source="text")
        await self._start_reply(self.conversation.reply(turn), turn_id=turn_id, timer=timer)

    async def _finish(self) -> None:
        assert self.conversation is not None
        await self._cancel_turn()
        if self._agent_busy():
            await self._interrupt(notify=True)
        if self._interrupted is not None:
            self._commit_interruption()
        if self.conversation is None:  # the reply that just played out ended the conversation
            raise NotStarted("the conversation has ended; send session.start to begin another")
        await self._start_reply(self.conversation.finish(), turn_id=self._new_turn_id(), timer=None)

    # ------------------------------------------------------------------ listening

    async def _on_vad(self, event: VADEvent) -> None:
        if event.kind in ("speech_start", "speech_end"):
            await self._send({"type": "vad", "event": event.kind, "t_ms": round(event.t * 1000)})
        if event.kind != "speech_start":
            return
        assert self._listener is not None
        index = int(event.t * INPUT_RATE)
        self._onset_index = index
        self._onset_at = self._listener.arrival_of(index)
        self._partial_at = self._clock()
        if self._turn_task is not None and not self._turn_task.done():
            # the user went on talking before we answered: one turn, not two
            self._carry = self._turn_segment
            if self._carry is not None:
                self._listener.context = self._carry.audio
            await self._cancel_turn()
        elif self._agent_busy():
            self._barge_onset = index

    async def _after_audio(self) -> None:
        listener = self._listener
        if listener is None:
            return
        if self._barge_onset is not None:
            if not listener.speaking:
                self._barge_onset = None
            elif (listener.now_index - self._barge_onset) / INPUT_RATE >= self.config.barge_in_min_speech_s:
                self._barge_onset = None
                if self._agent_busy():
                    await self._interrupt(notify=True)
        if (
            listener.voiced  # not while a pause may be the endpoint: the speculative decode goes first
            and self._clock() - self._partial_at >= self.config.partial_interval_s
            and (self._partial_task is None or self._partial_task.done())
            and listener.stt_in_flight == 0
            and not self._agent_busy()
            and (self._turn_task is None or self._turn_task.done())
        ):
            audio = listener.open_audio()
            if audio is not None and len(audio) >= INPUT_RATE // 2:
                self._partial_at = self._clock()
                self._partial_task = asyncio.create_task(self._partial(audio), name="stt-partial")

    async def _partial(self, audio: np.ndarray) -> None:
        assert self._listener is not None
        turn_id = self._seg_turn_id
        try:
            transcript = await self._listener.transcribe(audio, word_timestamps=False)
        except STTError:
            return
        finally:
            # the next partial waits a full interval after this one *ends*: Whisper costs ~0.5 s a
            # call here, and the endpoint's decode must not queue behind partials
            self._partial_at = self._clock()
        if transcript.text.strip() and self._seg_turn_id == turn_id and self._listener.speaking:
            await self._send(
                {"type": "transcript", "text": transcript.text.strip(), "final": False, "turn_id": turn_id}
            )

    async def _take_segments(self, listener: Listener) -> None:
        while True:
            segment = await listener.segments.get()
            carry, self._carry = self._carry, None
            spec = segment.speculation
            if carry is not None:
                # both parts go to Whisper together: a fragment alone loses its context ("ask not
                # … what your country" came back as "Ask not! Like your country" when split)
                segment = Segment(
                    start=carry.start,
                    end=segment.end,
                    audio=np.concatenate([carry.audio, segment.audio]),
                    speech_end_at=segment.speech_end_at,
                    endpoint_at=segment.endpoint_at,
                    pauses_s=(*carry.pauses_s, (segment.start - carry.end) / INPUT_RATE, *segment.pauses_s),
                    speculation=spec if spec is not None and spec.context is carry.audio else None,
                )
            self._turn_segment = segment
            self._turn_task = asyncio.create_task(self._voice_turn(segment), name="user-turn")
            self._turn_task.add_done_callback(_log_failure)

    async def _voice_turn(self, segment: Segment) -> None:
        log.debug("segment %.2f-%.2f s", segment.start / INPUT_RATE, segment.end / INPUT_RATE)
        turn_id = self._seg_turn_id
        self._seg_turn_id = self._new_turn_id()
        timer = TurnTimer(
            turn_id=turn_id,
            speech_end=segment.speech_end_at,
            accepted=self._clock(),
            endpoint_silence_s=self.config.endpoint_silence_s,
        )
        assert self._listener is not None
        started = self._clock()
        spec = segment.speculation
        try:
            if spec is not None and not spec.task.cancelled():
                timer.speculative_stt = True
                started = spec.started
                transcript = await spec.task
            else:
                transcript = await self._listener.transcribe(segment.audio)
        except STTError as exc:
            await self.error(exc.code, f"{exc.message} — please say that again")
            await self._resume_or_commit(text="")
            return
        timer.transcript = self._clock()
        timer.stt_compute_s = timer.transcript - started
        text = transcript.text.strip()
        log.debug(
            "turn %s: %.1f s of speech -> %r (stt %.0f ms, speculative=%s)",
            turn_id,
            segment.duration_s,
            text,
            timer.stt_compute_s * 1000,
            timer.speculative_stt,
        )
        if self._interrupted is not None and (not text or is_backchannel(text)):
            if text:
                await self._send({"type": "transcript", "text": text, "final": True, "turn_id": turn_id})
            await self._resume_or_commit(text=text)
            return
        if not text:
            return
        if looks_unfinished(text) and self.config.unfinished_grace_s > 0:
            # probably mid-thought: if the user goes on within the grace, both parts form one turn
            await self._sleep(self.config.unfinished_grace_s)
            timer.grace_s = self.config.unfinished_grace_s
        if self._interrupted is not None:
            self._commit_interruption()
        await self._send({"type": "transcript", "text": text, "final": True, "turn_id": turn_id})
        assert self.conversation is not None
        delay = None
        if self._agent_ended_at is not None and self._onset_at is not None:
            delay = max(0.0, self._onset_at - self._agent_ended_at)
        turn = UserTurn(
            turn_id=turn_id,
            text=text,
            source="voice",
            words=transcript.words,
            audio_s=segment.duration_s,
            response_delay_s=delay,
            pauses_s=segment.pauses_s,
        )
        self._turn_task = None  # the reply owns the turn from here; don't cancel ourselves
        await self._start_reply(self.conversation.reply(turn), turn_id=turn_id, timer=timer)

    async def _cancel_turn(self) -> None:
        task, self._turn_task = self._turn_task, None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    # ------------------------------------------------------------------ speaking

    def _agent_busy(self) -> bool:
        return self._reply_task is not None and not self._reply_task.done()

    async def _start_reply(
        self,
        events: AsyncIterator[ReplyEvent],
        *,
        turn_id: str,
        timer: TurnTimer | None,
        resumes: Utterance | None = None,
    ) -> None:
        if self._heard_task is not None:
            await asyncio.gather(self._heard_task, return_exceptions=True)
            self._heard_task = None
        speaker = Speaker(
            sink=self._sink,
            tts=self._tts,
            turn_id=turn_id,
            timer=timer,
            lead_s=self.config.lead_s,
            frame_ms=self.config.frame_ms,
            on_error=self._engine_error,
            clock=self._clock,
            sleep=self._sleep,
        )
        if resumes is not None:
            speaker.utterance.prefix = _join(resumes.prefix, resumes.heard_text())
            speaker.utterance.resumes = resumes
            speaker.utterance.finished = resumes.finished
        self._speaker = speaker
        self._remember(speaker.utterance)
        self._reply_task = asyncio.create_task(self._reply(speaker, events), name=f"reply-{turn_id}")

    async def _reply(self, speaker: Speaker, events: AsyncIterator[ReplyEvent]) -> None:
        try:
            utt = await speaker.run(events)
        except Exception:  # e.g. the socket went away mid-reply: keep what was heard
            log.exception("reply %s stopped", speaker.utterance.turn_id)
            self._record(speaker.utterance, interrupted=True)
            return
        self._agent_ended_at = self._clock()
        self._record(utt, interrupted=False)
        if utt.finished is not None:
            await self._session_ended(utt.finished)

    async def _interrupt(self, *, notify: bool) -> None:
        """Barge-in: cancel the running reply as one unit; nothing of it is sent afterwards."""
        task, speaker = self._reply_task, self._speaker
        if task is None or speaker is None:
            return
        if speaker.utterance.audio_ended:
            # it has played to the end and is only finishing its bookkeeping: not an interruption
            await asyncio.gather(task, return_exceptions=True)
            if self._reply_task is task:
                self._reply_task = None
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        self._reply_task = None
        utt = speaker.utterance
        heard = utt.heard_text()
        utt.heard_at_interrupt = heard
        self._agent_ended_at = self._clock()
        if notify and utt.audio_started and not utt.audio_ended:
            await self._send({"type": "interrupted", "utterance_id": utt.utterance_id, "heard_text": heard})
        log.info(
            "barge-in on %s: heard %d of %d words",
            utt.utterance_id,
            len(heard.split()),
            len(utt.generated_text.split()),
        )
        self._interrupted = utt
        if utt.finished is not None:  # the wrap-up was cut short: the conversation is over anyway
            self._commit_interruption()
            await self._session_ended(utt.finished)

    async def _resume_or_commit(self, *, text: str) -> None:
        """The barge-in was a backchannel or noise: go on with what the user has not heard yet."""
        utt = self._interrupted
        if utt is None:
            return
        rest = utt.unheard_text()
        self._interrupted = None
        if not rest:
            self._record(utt, interrupted=True)
            return
        log.info("backchannel %r: resuming %d words", text, len(rest.split()))
        await self._start_reply(_say(rest), turn_id=utt.turn_id, timer=None, resumes=utt)

    def _commit_interruption(self) -> None:
        utt, self._interrupted = self._interrupted, None
        if utt is not None:
            self._record(utt, interrupted=True)

    def _record(self, utt: Utterance, *, interrupted: bool) -> None:
        """Store what was heard in the conversation (shielded: a later barge-in can't cancel it)."""
        conversation = self.conversation
        if conversation is None:
            return
        origin = utt.resumes
        spoken = origin.generated_text if origin is not None else utt.generated_text
        heard_now = utt.heard_at_interrupt if utt.heard_at_interrupt is not None else utt.heard_text()
        heard = _join(utt.prefix, heard_now)
        if not spoken and not heard:
            return
        previous = self._heard_task

        async def record() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            try:
                await conversation.record_heard(spoken=spoken, heard=heard, interrupted=interrupted)
            except Exception:
                log.exception("could not record what was heard")
                await self.error("internal", "could not store the last reply", fatal=False)

        self._heard_task = asyncio.create_task(record(), name="record-heard")

    async def _session_ended(self, finished: Finished) -> None:
        conversation = self.conversation
        if conversation is None:
            return
        if self._heard_task is not None:
            await asyncio.gather(self._heard_task, return_exceptions=True)
        await self._send(
            {"type": "session.ended", "thread_id": conversation.thread_id, "summary": dict(finished.summary)}
        )
        await self._end_conversation()

    async def _end_conversation(self) -> None:
        conversation, self.conversation = self.conversation, None
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        for task in (self._segments_task, self._partial_task, self._turn_task):
            if task is not None and not task.done() and task is not asyncio.current_task():
                task.cancel()
        if conversation is not None:
            try:
                await conversation.close()
            except Exception:
                log.exception("closing conversation %s failed", conversation.thread_id)

    def _remember(self, utt: Utterance) -> None:
        self._recent[utt.utterance_id] = utt
        while len(self._recent) > 16:
            self._recent.pop(next(iter(self._recent)))

    # ------------------------------------------------------------------ errors and limits

    async def _engine_error(self, exc: Exception) -> None:
        if isinstance(exc, EngineError):
            await self.error(exc.code, exc.message)
        else:
            await self.error("internal", f"the agent failed to answer: {type(exc).__name__}")

    async def error(self, code: str, message: str, *, fatal: bool = False) -> None:
        await self._send({"type": "error", "code": code, "message": message, "fatal": fatal})

    async def _client_error(self, exc: ClientError) -> None:
        now = self._clock()
        self._bad.append(now)
        while self._bad and now - self._bad[0] > self.config.bad_window_s:
            self._bad.popleft()
        if not isinstance(exc, RateLimited) or now - self._rate_error_at >= 1.0:
            if isinstance(exc, RateLimited):
                self._rate_error_at = now
            await self.error(exc.code, exc.message)
        if len(self._bad) > self.config.max_bad_frames:
            await self.error(exc.code, "too many bad frames: closing", fatal=True)
            await self._close(1008, "too many bad frames")

    def _check_rate(self, n_bytes: int) -> None:
        now = self._clock()
        self._frames.append((now, n_bytes))
        while self._frames and now - self._frames[0][0] > 1.0:
            self._frames.popleft()
        if (
            len(self._frames) > self.config.max_frames_per_s
            or sum(n for _, n in self._frames) > self.config.max_audio_bytes_per_s
        ):
            self._frames.pop()
            raise RateLimited("audio is arriving much faster than real time; frames dropped")

    async def _send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(ConnectionError):
            await self._sink.send_json(message)

    @staticmethod
    def _new_turn_id() -> str:
        return uuid.uuid4().hex[:12]


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s failed", task.get_name(), exc_info=task.exception())


async def _say(text: str) -> AsyncIterator[ReplyEvent]:
    yield Say(text)


def _join(a: str, b: str) -> str:
    return " ".join(part for part in (a.strip(), b.strip()) if part)
