"""One caller's session: the protocol dispatcher between a transport, the turns and the replies.

    Transport.receive() ─▶ VoiceSession.handle ─┬─ audio ─▶ FrameLimiter ─▶ TurnDetector ─▶ UserSpeech
                                                └─ session.start / text / keypad / session.end / ping
    Conversation.reply(turn) ─▶ ReplyController ─▶ Speaker ─▶ Transport (events, utterances, frames)

No turn or reply state of its own: the `TurnDetector` decides what the user said, the
`ReplyController` speaks, is interrupted and resumes, the `Preempter` holds a reply prepared during
the endpoint wait; the session wires their events to the conversation and to the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from time import monotonic
from typing import Any, Literal

from voice_io import wire
from voice_io.backchannel import is_backchannel
from voice_io.config import SessionConfig
from voice_io.endpoint import EndOfTurn
from voice_io.errors import AlreadyStarted, ClientError, ConversationError, NotStarted, RateLimited
from voice_io.likely import TurnLikelyEnding, TurnResumed
from voice_io.limits import FrameLimiter
from voice_io.metrics import TurnTimer
from voice_io.pacer import Sleep
from voice_io.preempt import Preempter, user_turn
from voice_io.protocols import STT, TTS, VAD, Conversation, Finished, Responder, UserTurn, VADEvent
from voice_io.reply import ReplyController
from voice_io.transport import Inbound, Keypad, Transport
from voice_io.turns import BargeIn, Partial, STTFailed, TurnDetector, TurnEvent, UserSpeech, new_turn_id

__all__ = ["SessionConfig", "VoiceSession"]

log = logging.getLogger(__name__)


class VoiceSession:
    def __init__(
        self,
        *,
        transport: Transport,
        responder: Responder,
        vad: VAD,
        stt: STT,
        tts: TTS,
        config: SessionConfig | None = None,
        owner: str | None = None,
        clock: Callable[[], float] = monotonic,
        sleep: Sleep = asyncio.sleep,
        end_of_turn: EndOfTurn | None = None,
    ) -> None:
        self._transport = transport
        self._end_of_turn = end_of_turn
        self._responder = responder
        self._vad = vad
        self._stt = stt
        self._tts = tts
        self.config = config or SessionConfig()
        self._owner = owner
        self._clock = clock
        self._sleep = sleep
        self.conversation: Conversation | None = None
        self._turns: TurnDetector | None = None
        self._replies = ReplyController(
            transport=transport,
            tts=tts,
            config=self.config,
            report=self.error,
            on_finished=self._session_ended,
            clock=clock,
            sleep=sleep,
        )
        preemptive = self.config.preemptive_reply
        self._preempt = Preempter(enabled=preemptive, tts=tts, replies=self._replies, clock=clock)
        self._limiter = FrameLimiter.of(self.config)
        self._closed = False

    # ------------------------------------------------------------------ entry points

    async def run(self) -> None:
        """Serve the transport until the caller leaves; then stop everything, keeping what was said."""
        try:
            async for item in self._transport.receive():
                await self.handle(item)
        except ConnectionError:
            pass
        except Exception:
            log.exception("session failed")
            with contextlib.suppress(Exception):
                await self.error("internal", "internal error", fatal=True)
            with contextlib.suppress(Exception):
                await self._transport.close(1011, "internal error")
        finally:
            await self.close()

    async def handle(self, item: Inbound) -> None:
        """One thing the transport delivered: caller audio, a control event, or bad input."""
        if isinstance(item, bytes):
            await self.handle_audio(item)
        elif isinstance(item, ClientError):
            await self._client_error(item)
        else:
            try:
                await self._dispatch(item)
            except ClientError as exc:
                await self._client_error(exc)
            except ConversationError as exc:
                await self.error(exc.code, exc.message)

    async def handle_audio(self, data: bytes) -> None:
        now = self._clock()
        try:
            wire.check_audio(data)
            if not self._limiter.admit(now, len(data)):
                raise RateLimited("audio is arriving much faster than real time; frames dropped")
        except ClientError as exc:
            await self._client_error(exc)
            return
        if self._turns is None:
            # a live mic between conversations is no abuse: say so once a second, never close
            if self._limiter.once_a_second("idle_audio", now):
                await self.error("bad_audio", "audio before session.start: send session.start first")
            return
        await self._turns.feed(data)

    async def close(self) -> None:
        """The connection is gone: stop everything, keep what was said."""
        if self._closed:
            return
        self._closed = True
        if self._turns is not None:
            await self._turns.cancel()
        await self._preempt.drop()
        await self._replies.close()
        await self._end_conversation()

    async def error(self, code: str, message: str, *, fatal: bool = False) -> None:
        await self._send({"type": "error", "code": code, "message": message, "fatal": fatal})

    # ------------------------------------------------------------------ control events

    async def _dispatch(self, message: wire.ClientMessage | Keypad) -> None:
        if isinstance(message, wire.Ping):
            await self._send({"type": "pong", "t": message.t, "server_t": time.time() * 1000})
        elif isinstance(message, wire.SessionStart):
            await self._start(message)
        elif self.conversation is None:
            raise NotStarted("send session.start first")
        elif isinstance(message, wire.TextTurn):
            await self._typed_turn(message.text, source="text")
        elif isinstance(message, Keypad):
            await self._typed_turn(message.digits, source="dtmf")
        elif isinstance(message, wire.Playback):
            pass  # the transport keeps the caller's playback reports (`Transport.played_s`)
        elif isinstance(message, wire.SessionEnd):
            await self._take_the_floor()
            assert self.conversation is not None
            await self._replies.start(self.conversation.finish(), turn_id=new_turn_id(), timer=None)

    async def _start(self, message: wire.SessionStart) -> None:
        if self.conversation is not None:
            raise AlreadyStarted("a conversation is already running on this connection")
        conversation = await self._responder.open(
            workflow=message.workflow,
            thread_id=message.thread_id,
            options=message.options,
            owner=self._owner,
        )
        self.conversation = self._replies.conversation = conversation
        self._turns = TurnDetector(
            vad=self._vad.stream(),
            stt=self._stt,
            sample_rate=message.sample_rate,
            on_event=self._on_turn_event,
            agent_speaking=lambda: self._replies.busy,
            config=self.config,
            clock=self._clock,
            sleep=self._sleep,
            end_of_turn=self._end_of_turn,
            word_timing=conversation.word_timing,
        )
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
        thread_id, resumed = conversation.thread_id, conversation.resumed
        log.info("session %s started (%s, resumed=%s)", thread_id, message.workflow, resumed)
        await self._replies.start(conversation.opening(), turn_id=new_turn_id(), timer=None)

    async def _typed_turn(self, text: str, *, source: Literal["text", "dtmf"]) -> None:
        await self._take_the_floor()
        assert self.conversation is not None
        turn_id = new_turn_id()
        timer = TurnTimer(turn_id=turn_id, accepted=self._clock())
        timer.transcript = timer.accepted
        await self._final(text, turn_id)
        turn = UserTurn(turn_id=turn_id, text=text, source=source)
        await self._replies.start(self.conversation.reply(turn), turn_id=turn_id, timer=timer)

    async def _take_the_floor(self) -> None:
        """A typed turn or the session's end overrides the spoken turn and the agent's reply."""
        if self._turns is not None:
            await self._turns.cancel()
        await self._preempt.drop()
        await self._replies.take_the_floor()
        if self.conversation is None:  # the reply that just played out ended the conversation
            raise NotStarted("the conversation has ended; send session.start to begin another")

    # ------------------------------------------------------------------ spoken turns

    async def _on_turn_event(self, event: TurnEvent) -> None:
        if isinstance(event, VADEvent):
            await self._send({"type": "vad", "event": event.kind, "t_ms": round(event.t * 1000)})
        elif isinstance(event, Partial):
            partial = {"type": "transcript", "text": event.text, "final": False, "turn_id": event.turn_id}
            await self._send(partial)
        elif isinstance(event, BargeIn):
            if self._replies.busy:
                await self._replies.interrupt(notify=True)
        elif isinstance(event, STTFailed):
            await self.error(event.error.code, f"{event.error.message} — please say that again")
            await self._replies.resume_or_commit(text="")
        elif isinstance(event, TurnLikelyEnding):
            self._preempt.prepare(self.conversation, user_turn(event, agent_ended_at=self._replies.ended_at))
        elif isinstance(event, TurnResumed):
            await self._preempt.drop(event.turn_id)
        elif isinstance(event, UserSpeech):
            await self._user_speech(event)

    async def _user_speech(self, speech: UserSpeech) -> None:
        text = speech.text
        if (self._replies.interrupted or self._replies.busy) and (not text or is_backchannel(text)):
            # "mm-hm" or a noise over the agent: not a turn for the brain; an interrupted reply goes on
            if text:
                await self._final(text, speech.turn_id)
            await self._replies.resume_or_commit(text=text)
            return
        conversation = self.conversation
        if not text or conversation is None:
            await self._preempt.drop()
            return
        await self._replies.take_the_floor()
        await self._final(text, speech.turn_id)
        turn = user_turn(speech, agent_ended_at=self._replies.ended_at)
        held = await self._preempt.take(turn, speech.timer)
        events, tts = held or (conversation.reply(turn), None)  # prepared on this turn, or answered now
        await self._replies.start(events, turn_id=speech.turn_id, timer=speech.timer, tts=tts)

    async def _final(self, text: str, turn_id: str) -> None:
        await self._send({"type": "transcript", "text": text, "final": True, "turn_id": turn_id})

    # ------------------------------------------------------------------ the end

    async def _session_ended(self, finished: Finished) -> None:
        conversation = self.conversation
        if conversation is None:
            return
        await self._replies.wait_heard()
        await self._send(
            {"type": "session.ended", "thread_id": conversation.thread_id, "summary": dict(finished.summary)}
        )
        await self._end_conversation()

    async def _end_conversation(self) -> None:
        conversation, self.conversation = self.conversation, None
        self._replies.conversation = None
        turns, self._turns = self._turns, None
        if turns is not None:
            turns.close()
        if conversation is not None:
            try:
                await conversation.close()
            except Exception:
                log.exception("closing conversation %s failed", conversation.thread_id)

    # ------------------------------------------------------------------ bad input

    async def _client_error(self, exc: ClientError) -> None:
        now = self._clock()
        over = self._limiter.bad(now)
        if not isinstance(exc, RateLimited) or self._limiter.once_a_second("rate_limited", now):
            await self.error(exc.code, exc.message)
        if over:
            await self.error(exc.code, "too many bad frames: closing", fatal=True)
            await self._transport.close(1008, "too many bad frames")

    async def _send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(ConnectionError):
            await self._transport.send_event(message)
