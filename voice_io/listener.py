"""Input audio → resampled 16 kHz → streaming VAD → user speech segments (for `voice_io.turns`).

The listener owns the input audio clock. While the user speaks it keeps the segment's audio; in a
pause (`silence_start`, once it has lasted `speculate_after_s`) it starts STT speculatively, so
that by the time the endpoint (`speech_end`, min-silence later) confirms the turn, the transcript
is often ready already. If the user resumes before the endpoint, the speculative result is
dropped. An end-of-turn judge may end the segment earlier, in a pause (`end_now`): then
`speech_end` comes before min-silence.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Literal

import numpy as np

from voice_io.audio import StreamResampler
from voice_io.buffer import AudioBuffer
from voice_io.pacer import Sleep
from voice_io.protocols import INPUT_RATE, STT, Float32Array, Transcript, VADEvent, VADStream
from voice_io.workers import QueueTimes, SpeculativeLane, run_in, timing

log = logging.getLogger(__name__)

PRE_ROLL_S = 1.0


@dataclass
class Speculation:
    task: asyncio.Task[Transcript]
    started: float
    times: QueueTimes
    """How long the decode waited for a model worker."""
    context: Float32Array | None = None
    """Earlier speech of the same turn decoded in front of this segment's audio."""
    end: int = 0
    """Input sample index where the decoded speech ends (the first silence)."""
    lane: SpeculativeLane | None = None
    """Its decode's place in the model queue: behind final decodes until `promote()` (the turn)."""


@dataclass
class Segment:
    """One user speech segment, from VAD onset to endpoint."""

    start: int
    end: int
    audio: Float32Array
    speech_end_at: float
    """Monotonic time at which the user's last voiced audio arrived."""
    pauses_s: tuple[float, ...]
    speculation: Speculation | None = None
    ended_by: Literal["silence", "model"] = "silence"
    """What ended it: the VAD's min-silence, or an end-of-turn judge before it (`end_now`)."""
    eot_probability: float | None = None
    """The end-of-turn judge's verdict on the segment's last pause, when it gave one in time."""

    @property
    def duration_s(self) -> float:
        return (self.end - self.start) / INPUT_RATE


@dataclass
class _Open:
    start: int
    pauses: list[float] = field(default_factory=list)
    silence_at: int | None = None
    eot_probability: float | None = None
    ended_by: Literal["silence", "model"] = "silence"


class Listener:
    def __init__(
        self,
        *,
        vad: VADStream,
        stt: STT,
        sample_rate: int,
        on_event: Callable[[VADEvent], Awaitable[None]],
        stt_prompt: str | None = None,
        clock: Callable[[], float] = monotonic,
        speculate_after_s: float = 0.0,
        sleep: Sleep = asyncio.sleep,
        word_timing: bool = True,
    ) -> None:
        self._sleep = sleep
        self._word_timing = word_timing
        self._vad = vad
        self._speculate_after_s = speculate_after_s
        """How long a pause lasts before its speculative decode is queued: a shorter one (between
        words) is dropped unrun, instead of holding the model worker when the turn really ends."""
        self._stt = stt
        self._resampler = StreamResampler(sample_rate, INPUT_RATE)
        self._on_event = on_event
        self._prompt = stt_prompt
        self._clock = clock
        self.buffer = AudioBuffer()
        self._arrivals: deque[tuple[int, float]] = deque(maxlen=4096)
        self._open: _Open | None = None
        self._spec: Speculation | None = None
        self.segments: asyncio.Queue[Segment] = asyncio.Queue()
        self._context: Float32Array | None = None
        self.stt_in_flight = 0
        self._feeding = False
        self._end_at: int | None = None
        """A pause an end-of-turn judge ended while a frame was in the VAD (applied after it)."""

    def continue_turn(self, earlier: Float32Array) -> None:
        """The user went on after an endpoint: `earlier` (the turn's audio so far) is decoded in front
        of the open segment by the speculative decode, until the next endpoint."""
        self._context = earlier

    @property
    def speaking(self) -> bool:
        return self._open is not None

    @property
    def voiced(self) -> bool:
        """Speaking and not in a pause that might turn out to be the endpoint."""
        return self._open is not None and self._open.silence_at is None

    @property
    def now_index(self) -> int:
        return self.buffer.end

    @property
    def speculation(self) -> Speculation | None:
        """The decode started at the current pause (None while voiced or after it was dropped)."""
        return self._spec

    @property
    def open_start(self) -> int | None:
        return None if self._open is None else self._open.start

    @property
    def open_pauses(self) -> tuple[float, ...]:
        return () if self._open is None else tuple(self._open.pauses)

    @property
    def pause_index(self) -> int | None:
        """Where the current pause began (the audio clock), or None unless in a pause."""
        return None if self._open is None else self._open.silence_at

    def open_audio(self) -> Float32Array | None:
        return None if self._open is None else self.buffer.slice(self._open.start)

    def turn_audio(self) -> Float32Array | None:
        """The open segment up to now with the turn's earlier part (a carried turn) in front."""
        audio = self.open_audio()
        if audio is None or self._context is None:
            return audio
        return np.concatenate([self._context, audio])

    def speculative_text(self) -> str | None:
        """The speculative decode's text, when it has finished (else None)."""
        spec = self._spec
        if spec is None or not spec.task.done() or spec.task.cancelled() or spec.task.exception():
            return None
        return spec.task.result().text

    def judged(self, pause: int, probability: float) -> None:
        """Record an end-of-turn verdict on the pause that began at `pause` (if still the same)."""
        if self._open is not None and self._open.silence_at == pause:
            self._open.eot_probability = probability

    async def end_now(self, pause: int) -> None:
        """An end-of-turn judge decided: end the open segment in the pause that began at `pause`, now
        (`speech_end`, the segment), unless the user has spoken again since."""
        if self._feeding:
            self._end_at = pause  # the VAD is busy with this stream: right after that frame
            return
        if self._open is None or self._open.silence_at != pause:
            return
        self._open.ended_by = "model"
        for event in self._vad.end_speech():
            await self._handle(event)

    def arrival_of(self, index: int) -> float:
        """Monotonic time at which sample `index` arrived (the frame that carried it)."""
        for end, at in self._arrivals:
            if end >= index:
                return at
        return self._clock()

    async def feed_pcm16(self, pcm: bytes) -> None:
        samples = self._resampler.process_pcm16(pcm)
        self.buffer.append(samples)
        self._arrivals.append((self.buffer.end, self._clock()))
        self._feeding = True
        try:
            events = await run_in("vad", self._vad.process, samples)
        finally:
            self._feeding = False
        for event in events:
            await self._handle(event)
        end_at, self._end_at = self._end_at, None
        if end_at is not None:
            await self.end_now(end_at)
        if self._open is None:
            self.buffer.trim_before(self.buffer.end - int(PRE_ROLL_S * INPUT_RATE))

    async def _handle(self, event: VADEvent) -> None:
        index = int(event.t * INPUT_RATE)
        if event.kind == "speech_start":
            self._open = _Open(start=max(index, 0))
        elif self._open is None:
            return
        elif event.kind == "silence_start":
            self._open.silence_at = index
            self._speculate(index)
        elif event.kind == "speech_resume":
            if self._open.silence_at is not None:
                self._open.pauses.append(max(0.0, (index - self._open.silence_at) / INPUT_RATE))
            self._open.silence_at = None
            self._open.eot_probability = None
            self._drop_speculation()
        elif event.kind == "speech_end":
            seg = self._open
            self._open = None
            silence_at = seg.silence_at if seg.silence_at is not None else index
            spec, self._spec = self._spec, None
            self._context = None
            end = max(index, silence_at)
            self.segments.put_nowait(
                Segment(
                    start=seg.start,
                    end=end,
                    audio=self.buffer.slice(seg.start, end).copy(),
                    speech_end_at=self.arrival_of(silence_at),
                    pauses_s=tuple(seg.pauses),
                    speculation=spec,
                    ended_by=seg.ended_by,
                    eot_probability=seg.eot_probability,
                )
            )
        await self._on_event(event)

    def _speculate(self, index: int) -> None:
        assert self._open is not None
        self._drop_speculation()
        audio = self.buffer.slice(self._open.start, index).copy()
        context = self._context
        if context is not None:
            audio = np.concatenate([context, audio])
        lane = SpeculativeLane(floor="speculative_stt")
        with timing(QueueTimes()) as times, lane.active():
            task = asyncio.create_task(self._transcribe_after_pause(audio), name="stt-speculative")
        self._spec = Speculation(
            task=task, started=self._clock(), times=times, context=context, end=index, lane=lane
        )

    def _drop_speculation(self) -> None:
        if self._spec is not None:
            self._spec.task.cancel()  # the worker thread finishes on its own; the result is dropped
            self._spec = None

    async def _transcribe_after_pause(self, audio: Float32Array) -> Transcript:
        if self._speculate_after_s > 0:
            await self._sleep(self._speculate_after_s)  # cancelled here if the user goes on
        return await self.transcribe(audio)

    async def transcribe(self, audio: Float32Array, *, word_timestamps: bool | None = None) -> Transcript:
        """`word_timestamps` None: as the conversation needs (`word_timing`)."""
        timed = self._word_timing if word_timestamps is None else word_timestamps
        self.stt_in_flight += 1
        try:
            return await self._stt.transcribe(audio, prompt=self._prompt, word_timestamps=timed)
        finally:
            self.stt_in_flight -= 1

    def close(self) -> None:
        self._drop_speculation()
