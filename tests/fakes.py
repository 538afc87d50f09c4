"""One small fake per seam (VAD, STT, TTS, Responder/Conversation, Transport) plus a virtual clock,
for fast unit tests of the voice loop. Integration tests use the real engines instead."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import numpy as np

from tools.text import split_sentences
from voice_io import wire
from voice_io.errors import ClientError, STTError, UnknownThread, UnknownWorkflow
from voice_io.protocols import (
    Finished,
    Float32Array,
    HeardMessage,
    HistoryItem,
    ReplyEvent,
    Say,
    Transcript,
    UserTurn,
    VADEvent,
)
from voice_io.transport import Inbound
from voice_io.vad.machine import WINDOW_SAMPLES, VADMachine

RATE = 16_000


def tone(seconds: float, *, amplitude: float = 0.3, rate: int = RATE) -> bytes:
    """PCM16 'speech' for the energy VAD: a 220 Hz tone."""
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 220 * t) * amplitude * 32767).astype("<i2").tobytes()


def silence(seconds: float, *, rate: int = RATE) -> bytes:
    return b"\x00\x00" * int(seconds * rate)


class VirtualClock:
    """Monotonic time that only moves when a test advances it; `sleep` waits for that."""

    def __init__(self) -> None:
        self.now = 0.0
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._ids = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (self.now + seconds, next(self._ids), fut))
        await fut

    async def advance(self, seconds: float) -> None:
        target = self.now + seconds
        while self._waiters and self._waiters[0][0] <= target:
            when, _, fut = heapq.heappop(self._waiters)
            self.now = max(self.now, when)
            if not fut.done():
                fut.set_result(None)
            await settle()
        self.now = target
        await settle()


async def settle(rounds: int = 20) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


class EnergyVAD:
    """VAD fake: a window is voiced when its RMS is above 0.02; drives the real VADMachine."""

    def __init__(self, **machine: Any) -> None:
        self._machine = machine

    def stream(self) -> EnergyVADStream:
        return EnergyVADStream(VADMachine(**self._machine))


class EnergyVADStream:
    def __init__(self, machine: VADMachine) -> None:
        self.machine = machine
        self._pending = np.zeros(0, dtype=np.float32)

    def process(self, samples: Float32Array) -> list[VADEvent]:
        self._pending = np.concatenate([self._pending, samples])
        events: list[VADEvent] = []
        while len(self._pending) >= WINDOW_SAMPLES:
            window, self._pending = self._pending[:WINDOW_SAMPLES], self._pending[WINDOW_SAMPLES:]
            rms = float(np.sqrt(np.mean(window**2)))
            events.extend(self.machine.feed(1.0 if rms > 0.02 else 0.0))
        return events

    def end_speech(self) -> list[VADEvent]:
        return self.machine.end_now()

    @property
    def speaking(self) -> bool:
        return self.machine.speaking


class FakeSTT:
    """Returns scripted transcripts in order (the last one repeats); can be told to fail."""

    name = "fake"

    def __init__(self, texts: Sequence[str] = ("hello there",), *, fail: bool = False) -> None:
        self.texts = list(texts)
        self.fail = fail
        self.calls: list[float] = []
        self.timed: list[bool] = []
        """`word_timestamps` of each call."""

    async def transcribe(
        self, audio: Float32Array, *, prompt: str | None = None, word_timestamps: bool = False
    ) -> Transcript:
        self.calls.append(len(audio) / RATE)
        self.timed.append(word_timestamps)
        await asyncio.sleep(0)
        if self.fail:
            raise STTError("fake STT is down")
        text = self.texts.pop(0) if len(self.texts) > 1 else self.texts[0]
        return Transcript(text=text, audio_s=len(audio) / RATE)


class FakeTTS:
    """0.25 s of low-level noise per word, 16 kHz; can fail."""

    name = "fake"

    def __init__(
        self, *, sample_rate: int = RATE, seconds_per_word: float = 0.25, fail: bool = False
    ) -> None:
        self.sample_rate = sample_rate
        self.seconds_per_word = seconds_per_word
        self.fail = fail
        self.spoken: list[str] = []

    async def synthesize(self, text: str) -> AsyncIterator[bytes]:
        from voice_io.errors import TTSError

        if self.fail:
            raise TTSError("fake TTS is down")
        self.spoken.append(text)
        n = int(len(text.split()) * self.seconds_per_word * self.sample_rate)
        yield (np.full(n, 300, dtype="<i2")).tobytes()


class FakePreemption:
    """A `Preemption` of `FakeConversation`: the reply to the speculative turn, whose one "write"
    (the turn joining `conversation.turns`, its reply taken from the script) waits for `commit`."""

    def __init__(self, conversation: FakeConversation, turn: UserTurn) -> None:
        self.conversation = conversation
        self.turn = turn
        self.state = "held"
        self.runs = 0
        self.finished = False

    async def events(self) -> AsyncIterator[ReplyEvent]:
        self.runs += 1
        conversation = self.conversation
        async for event in conversation._events(conversation.next_reply(self.turn, peek=True)):
            yield event
        self.finished = True

    async def commit(self) -> None:
        assert self.state == "held"
        self.state = "committed"
        self.conversation.next_reply(self.turn)
        self.conversation.turns.append(self.turn)

    async def discard(self) -> None:
        assert self.state == "held"
        self.state = "discarded"


class FakeConversation:
    def __init__(
        self,
        replies: Sequence[str | Sequence[ReplyEvent]],
        *,
        thread_id: str,
        workflow: str,
        resumed: bool = False,
        history: Sequence[HistoryItem] = (),
        echo: bool = False,
        word_timing: bool = True,
    ) -> None:
        self.thread_id = thread_id
        self.word_timing = word_timing
        self.workflow = workflow
        self.resumed = resumed
        self._history = list(history)
        self.replies = list(replies)
        self.turns: list[UserTurn] = []
        self.heard: list[dict[str, Any]] = []
        self.metrics: dict[str, dict[str, Any]] = {}
        self.heard_messages: list[list[HeardMessage]] = []
        self.closed = False
        self.greeting = "Hello! Let's begin."
        self._ids = itertools.count(1)
        self.echo = echo
        """Replies say "You said: <the turn's text>." (after the scripted ones run out)."""
        self.preemptions: list[FakePreemption] = []
        self.reply_calls = 0

    def history(self) -> Sequence[HistoryItem]:
        return self._history

    async def _events(self, item: str | Sequence[ReplyEvent]) -> AsyncIterator[ReplyEvent]:
        if isinstance(item, str):  # one message, one Say per sentence (the brain splits, once)
            message_id = f"m{next(self._ids)}"
            for sentence in split_sentences(item):
                await asyncio.sleep(0)
                yield Say(sentence, message_id=message_id)
        else:
            for event in item:
                await asyncio.sleep(0)
                yield event

    def opening(self) -> AsyncIterator[ReplyEvent]:
        return self._events(self.greeting)

    def next_reply(self, turn: UserTurn, *, peek: bool = False) -> str | Sequence[ReplyEvent]:
        if self.replies:
            return self.replies[0] if peek else self.replies.pop(0)
        return f"You said: {turn.text.rstrip('.')}." if self.echo else "Okay."

    def reply(self, turn: UserTurn) -> AsyncIterator[ReplyEvent]:
        self.reply_calls += 1
        self.turns.append(turn)
        return self._events(self.next_reply(turn))

    def preempt(self, turn: UserTurn) -> FakePreemption:
        preemption = FakePreemption(self, turn)
        self.preemptions.append(preemption)
        return preemption

    async def record_heard(
        self, *, spoken: str, heard: str, interrupted: bool, messages: Sequence[HeardMessage] = ()
    ) -> None:
        self.heard.append({"spoken": spoken, "heard": heard, "interrupted": interrupted})
        self.heard_messages.append(list(messages))

    def finish(self) -> AsyncIterator[ReplyEvent]:
        return self._events([Say("Thanks, goodbye."), Finished({"turns": len(self.turns)})])

    def record_metrics(self, *, turn_id: str, metrics: Mapping[str, Any]) -> None:
        self.metrics.setdefault(turn_id, {}).update(metrics)

    async def close(self) -> None:
        self.closed = True


class FakeResponder:
    def __init__(
        self,
        replies: Sequence[str | Sequence[ReplyEvent]] = (),
        *,
        echo: bool = False,
        word_timing: bool = True,
    ) -> None:
        self.replies = list(replies)
        self.echo = echo
        self.word_timing = word_timing
        self.conversations: dict[str, FakeConversation] = {}

    def workflows(self) -> Sequence[str]:
        return ["interview"]

    async def open(
        self, *, workflow: str, thread_id: str | None, options: Mapping[str, Any], owner: str | None = None
    ) -> FakeConversation:
        if workflow not in self.workflows():
            raise UnknownWorkflow(f"unknown workflow '{workflow}'")
        if thread_id is not None and thread_id not in self.conversations:
            raise UnknownThread(f"unknown thread '{thread_id}'")
        if thread_id is not None:
            old = self.conversations[thread_id]
            conv = FakeConversation(
                self.replies,
                thread_id=thread_id,
                workflow=workflow,
                resumed=True,
                history=[HistoryItem("agent", h["heard"]) for h in old.heard],
                word_timing=self.word_timing,
            )
        else:
            conv = FakeConversation(
                self.replies,
                thread_id=f"t{len(self.conversations) + 1}",
                workflow=workflow,
                echo=self.echo,
                word_timing=self.word_timing,
            )
        self.conversations[conv.thread_id] = conv
        return conv


class RecordingTransport:
    """The transport fake: records every event, utterance start, frame and flush in order; `inbound`
    turns one browser text frame into what a transport delivers. Utterance starts are recorded as
    the browser protocol's `agent.audio_start` event."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self.closed: tuple[int, str] | None = None
        self.played: dict[str, float] = {}
        self.incoming: asyncio.Queue[Inbound | None] = asyncio.Queue()

    @staticmethod
    def inbound(raw: str) -> Inbound:
        try:
            return wire.parse_text(raw)
        except ClientError as exc:
            return exc

    async def receive(self) -> AsyncIterator[Inbound]:
        while (item := await self.incoming.get()) is not None:
            yield item

    async def send_event(self, message: Mapping[str, Any]) -> None:
        json.dumps(message)  # must be serialisable
        self.items.append(("json", dict(message)))

    async def start_utterance(self, *, utterance_id: str, turn_id: str, sample_rate: int) -> None:
        start = {"type": "agent.audio_start", "utterance_id": utterance_id, "turn_id": turn_id}
        self.items.append(("json", start))

    async def send_frame(self, pcm: bytes) -> None:
        self.items.append(("audio", pcm))

    async def flush(self) -> None:
        self.items.append(("flush", None))

    def played_s(self, utterance_id: str) -> float | None:
        return self.played.get(utterance_id)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)

    def messages(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [m for t, m in self.items if t == "json" and (kind is None or m["type"] == kind)]

    def types(self) -> list[str]:
        return [m["type"] if t == "json" else t for t, m in self.items]

    def first(self, kind: str) -> dict[str, Any]:
        found = self.messages(kind)
        assert found, f"no {kind!r} in {self.types()}"
        return found[0]


READY = "I'm ready."
"""The candidate's reply to the interviewer's readiness question: the interview's greeting asks
"Are you ready for the first question?" and question 1 comes only after this turn."""

_ready_turns = itertools.count()


def ready_turn() -> UserTurn:
    return UserTurn(turn_id=f"ready{next(_ready_turns)}", text=READY, source="text")


async def start_interview(conversation: Any) -> list[ReplyEvent]:
    """An interview opened as a candidate does it: the greeting (which asks whether they are ready),
    then READY and question 1. Returns the events of both runs; the greeting's alone are
    `[e async for e in conversation.opening()]`."""
    events = [event async for event in conversation.opening()]
    events += [event async for event in conversation.reply(ready_turn())]
    return events
