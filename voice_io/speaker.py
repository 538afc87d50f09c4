"""Speaks one agent reply: `ReplyEvent`s → one TTS unit per `Say` → paced frames on the transport.

One reply is one utterance: `agent.text` before each sentence's audio, `Transport.start_utterance`
before the first frame, `agent.audio_end` once the caller has (by estimate) played it all. Two named
tasks (text producer, audio consumer) run inside the reply task; when the reply task is cancelled
(barge-in) both stop and nothing more is sent. Sentences are the brain's: a `Say` is never split
again here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import InitVar, dataclass
from time import monotonic

from voice_io.errors import EngineError, TTSError
from voice_io.metrics import TurnTimer
from voice_io.pacer import Playout, Sleep, frames
from voice_io.protocols import TTS, Finished, Notify, ReplyEvent, Say
from voice_io.transport import Transport
from voice_io.utterance import Sentence, Spoken, Utterance
from voice_io.wire import event_message
from voice_io.workers import QueueTimes, later_sentences, timing

log = logging.getLogger(__name__)

_END = object()


def _no_metrics(message: dict[str, object]) -> None:
    """The default `on_metrics`: the waterfall only goes to the client."""


@dataclass(kw_only=True, eq=False)
class Speaker:
    transport: Transport
    tts: TTS
    turn_id: InitVar[str]
    timer: TurnTimer | None = None
    lead_s: InitVar[float] = 0.3
    frame_ms: int = 40
    on_error: Callable[[EngineError | Exception], Awaitable[None]]
    on_metrics: Callable[[dict[str, object]], None] = _no_metrics
    clock: Callable[[], float] = monotonic
    sleep: InitVar[Sleep] = asyncio.sleep

    def __post_init__(self, turn_id: str, lead_s: float, sleep: Sleep) -> None:
        utterance_id = uuid.uuid4().hex[:12]
        transport = self.transport
        self.utterance = Utterance(
            utterance_id=utterance_id,
            turn_id=turn_id,
            playout=Playout(sample_rate=self.tts.sample_rate, lead_s=lead_s, clock=self.clock, sleep=sleep),
            reported=lambda: transport.played_s(utterance_id),
        )
        self._tts_failed = False
        self._tts_times = QueueTimes()

    async def run(self, events: AsyncIterator[ReplyEvent]) -> Utterance:
        queue: asyncio.Queue[object] = asyncio.Queue()
        producer = asyncio.create_task(
            self._produce(events, queue), name=f"reply-text-{self.utterance.turn_id}"
        )
        consumer = asyncio.create_task(self._speak(queue), name=f"reply-audio-{self.utterance.turn_id}")
        try:
            await asyncio.gather(producer, consumer)
        finally:
            for task in (producer, consumer):
                task.cancel()
            await asyncio.gather(producer, consumer, return_exceptions=True)
        return self.utterance

    async def _produce(self, events: AsyncIterator[ReplyEvent], queue: asyncio.Queue[object]) -> None:
        try:
            async for event in events:
                if isinstance(event, Say):
                    text = event.text.strip()
                    if not text:
                        continue
                    if self.timer and self.timer.first_token is None:
                        self.timer.first_token = self.timer.first_sentence = self.clock()
                    sentence = Sentence(text, event.message_id)
                    self.utterance.said.append(sentence)
                    queue.put_nowait(sentence)
                elif isinstance(event, Notify):
                    await self.transport.send_event(event_message(event.event))
                elif isinstance(event, Finished):
                    self.utterance.finished = event
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the brain failed: say so, keep what was said
            log.warning(
                "reply %s failed: %s", self.utterance.turn_id, exc, exc_info=not isinstance(exc, EngineError)
            )
            await self.on_error(exc)
        finally:
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                queue.put_nowait(_END)

    async def _speak(self, queue: asyncio.Queue[object]) -> None:
        with timing(self._tts_times):
            await self._speak_all(queue)

    async def _speak_all(self, queue: asyncio.Queue[object]) -> None:
        utt = self.utterance
        while True:
            item = await queue.get()
            if item is _END:
                break
            assert isinstance(item, Sentence)
            spoken = Spoken(start_s=utt.playout.sent_s)
            utt.spoken.append(spoken)
            text = {"type": "agent.text", "utterance_id": utt.utterance_id, "text": item.text}
            await self.transport.send_event({**text, "turn_id": utt.turn_id})
            if not self._tts_failed:
                try:
                    await self._say(item.text, spoken)
                except TTSError as exc:
                    self._tts_failed = True
                    await self.on_error(exc)
            spoken.shown_only = spoken.duration_s <= 0
        if utt.audio_started:
            await utt.playout.wait_played()
            utt.audio_ended = True
            await self.transport.send_event({"type": "agent.audio_end", "utterance_id": utt.utterance_id})

    async def _say(self, text: str, spoken: Spoken) -> None:
        utt = self.utterance
        if self.timer and self.timer.tts_start is None:
            self.timer.tts_start = self.clock()
        with later_sentences() if utt.audio_started else contextlib.nullcontext():
            await self._stream(text, spoken)

    async def _stream(self, text: str, spoken: Spoken) -> None:
        utt = self.utterance
        async for pcm in self.tts.synthesize(text):
            if self.timer and self.timer.tts_first_chunk is None:
                self.timer.tts_first_chunk = self.clock()
            for frame in frames(pcm, sample_rate=self.tts.sample_rate, frame_ms=self.frame_ms):
                await utt.playout.wait_to_send()
                if not utt.audio_started:
                    utt.audio_started = True
                    await self.transport.start_utterance(
                        utterance_id=utt.utterance_id, turn_id=utt.turn_id, sample_rate=self.tts.sample_rate
                    )
                await self.transport.send_frame(frame)
                utt.playout.on_sent(len(frame))
                spoken.duration_s = utt.playout.sent_s - spoken.start_s
                if self.timer and self.timer.first_audio is None:
                    self.timer.first_audio = self.clock()
                    self.timer.tts_queue_s = self._tts_times.waited.get("tts", 0.0)
                    metrics = self.timer.message()
                    self.on_metrics(metrics)
                    await self.transport.send_event(metrics)
