"""Speaks one agent reply: `ReplyEvent`s → sentences → TTS → paced audio frames on the sink.

One reply is one utterance on the wire: `agent.text` before each sentence's audio,
`agent.audio_start` before the first frame, `agent.audio_end` once the client has (by estimate)
played it all. Two named tasks (text producer, audio consumer) run inside the reply task; when the
reply task is cancelled (barge-in) both stop and nothing more is sent.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from time import monotonic

from voice_io.errors import EngineError, TTSError
from voice_io.metrics import TurnTimer
from voice_io.pacer import Playout, Sleep, frames
from voice_io.protocols import TTS, AudioSink, Finished, Notify, ReplyEvent, Say
from voice_io.text import SentenceChunker

log = logging.getLogger(__name__)

_END = object()


@dataclass
class Spoken:
    text: str
    start_s: float
    duration_s: float = 0.0


@dataclass
class Utterance:
    """What one reply said and how much of it was played."""

    utterance_id: str
    turn_id: str
    playout: Playout
    generated: list[str] = field(default_factory=list)
    spoken: list[Spoken] = field(default_factory=list)
    audio_started: bool = False
    audio_ended: bool = False
    client_played_s: float | None = None
    finished: Finished | None = None
    prefix: str = ""
    """Text heard before this utterance when it resumes an interrupted one."""
    resumes: Utterance | None = None
    """The interrupted utterance this one goes on with (after a backchannel)."""
    heard_at_interrupt: str | None = None
    """The heard text sent in `interrupted` (what is recorded)."""

    @property
    def generated_text(self) -> str:
        return " ".join("".join(self.generated).split())

    def played_s(self) -> float:
        if self.client_played_s is not None:
            return min(self.client_played_s, self.playout.sent_s)
        return self.playout.played_s()

    def heard_text(self) -> str:
        """The words the user heard: whole sentences played, plus the played share of the current one."""
        played = self.played_s()
        parts: list[str] = []
        for item in self.spoken:
            if item.duration_s <= 0 or played >= item.start_s + item.duration_s - 1e-3:
                parts.append(item.text)
                continue
            if played > item.start_s:
                words = item.text.split()
                n = int(len(words) * (played - item.start_s) / item.duration_s)
                if n:
                    parts.append(" ".join(words[:n]))
            break
        return " ".join(parts)

    def unheard_text(self) -> str:
        """The rest of the generated reply after the heard words."""
        heard = self.heard_text().split()
        return " ".join(self.generated_text.split()[len(heard) :])


class Speaker:
    def __init__(
        self,
        *,
        sink: AudioSink,
        tts: TTS,
        turn_id: str,
        timer: TurnTimer | None = None,
        lead_s: float = 0.3,
        frame_ms: int = 40,
        on_error: Callable[[EngineError | Exception], Awaitable[None]],
        clock: Callable[[], float] = monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._sink = sink
        self._tts = tts
        self._timer = timer
        self._frame_ms = frame_ms
        self._on_error = on_error
        self._clock = clock
        self.utterance = Utterance(
            utterance_id=uuid.uuid4().hex[:12],
            turn_id=turn_id,
            playout=Playout(sample_rate=tts.sample_rate, lead_s=lead_s, clock=clock, sleep=sleep),
        )
        self._tts_failed = False

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
        chunker = SentenceChunker(first_clause=True)
        try:
            async for event in events:
                if isinstance(event, Say):
                    if not event.text:
                        continue
                    if self._timer and self._timer.first_token is None:
                        self._timer.first_token = self._clock()
                    self.utterance.generated.append(event.text)
                    for sentence in chunker.push(event.text):
                        self._queue_sentence(queue, sentence)
                elif isinstance(event, Notify):
                    await self._sink.send_json(dict(event.payload))
                elif isinstance(event, Finished):
                    self.utterance.finished = event
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the brain failed: say so, keep what was said
            log.warning(
                "reply %s failed: %s", self.utterance.turn_id, exc, exc_info=not isinstance(exc, EngineError)
            )
            await self._on_error(exc)
        finally:
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                for sentence in chunker.flush():
                    self._queue_sentence(queue, sentence)
                queue.put_nowait(_END)

    def _queue_sentence(self, queue: asyncio.Queue[object], sentence: str) -> None:
        sentence = sentence.strip()
        if not sentence:
            return
        if self._timer and self._timer.first_sentence is None:
            self._timer.first_sentence = self._clock()
        queue.put_nowait(sentence)

    async def _speak(self, queue: asyncio.Queue[object]) -> None:
        utt = self.utterance
        while True:
            item = await queue.get()
            if item is _END:
                break
            assert isinstance(item, str)
            spoken = Spoken(text=item, start_s=utt.playout.sent_s)
            utt.spoken.append(spoken)
            await self._sink.send_json(
                {"type": "agent.text", "utterance_id": utt.utterance_id, "text": item, "turn_id": utt.turn_id}
            )
            if self._tts_failed:
                continue
            try:
                await self._say(spoken)
            except TTSError as exc:
                self._tts_failed = True
                await self._on_error(exc)
        if utt.audio_started:
            await utt.playout.wait_played()
            utt.audio_ended = True
            await self._sink.send_json({"type": "agent.audio_end", "utterance_id": utt.utterance_id})

    async def _say(self, spoken: Spoken) -> None:
        utt = self.utterance
        if self._timer and self._timer.tts_start is None:
            self._timer.tts_start = self._clock()
        async for pcm in self._tts.synthesize(spoken.text):
            if self._timer and self._timer.tts_first_chunk is None:
                self._timer.tts_first_chunk = self._clock()
            for frame in frames(pcm, sample_rate=self._tts.sample_rate, frame_ms=self._frame_ms):
                await utt.playout.wait_to_send()
                if not utt.audio_started:
                    utt.audio_started = True
                    await self._sink.send_json(
                        {
                            "type": "agent.audio_start",
                            "utterance_id": utt.utterance_id,
                            "turn_id": utt.turn_id,
                        }
                    )
                await self._sink.send_audio(frame)
                utt.playout.on_sent(len(frame))
                spoken.duration_s = utt.playout.sent_s - spoken.start_s
                if self._timer and self._timer.first_audio is None:
                    self._timer.first_audio = self._clock()
                    await self._sink.send_json(self._timer.message())
