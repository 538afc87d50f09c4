"""The seams of the voice loop, as `typing.Protocol`s.

`voice_io` depends on nothing in `graph`, `storage` or `voice_agent`: the brain plugs in through
`Responder`/`Conversation`, the caller through `voice_io.transport.Transport`, the engines through
`VAD`, `STT`, `TTS`.

Audio conventions inside voice_io: mono float32 numpy arrays in [-1, 1] at 16 kHz for input
(`INPUT_RATE`); TTS output is PCM s16le bytes at the engine's own `sample_rate`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from voice_io.events import BrainEvent

INPUT_RATE = 16_000
"""Sample rate (Hz) of all audio handed to VAD and STT."""

Float32Array = npt.NDArray[np.float32]


# --------------------------------------------------------------------------- VAD


@dataclass(frozen=True, slots=True)
class VADEvent:
    """A voice-activity transition, timed on the input audio clock (seconds since stream start)."""

    kind: Literal["speech_start", "speech_end", "silence_start", "speech_resume"]
    t: float
    """Seconds of input audio since the stream began where the transition happened."""


class VADStream(Protocol):
    """Per-session, stateful voice activity detector. Pure sync code: the caller runs it off-loop."""

    def process(self, samples: Float32Array) -> list[VADEvent]:
        """Feed 16 kHz float32 samples (any length); return the transitions they complete.

        `speech_start` fires after min-speech of voiced audio (t = its onset, including padding);
        `silence_start` fires at the first unvoiced window while speaking (a tentative end:
        a good moment to start STT speculatively); `speech_resume` cancels it; `speech_end`
        fires once min-silence has passed (t = end of the last voiced window plus padding).
        """
        ...

    def end_speech(self) -> list[VADEvent]:
        """In a pause (after `silence_start`): end the speech now, before min-silence, and return
        its `speech_end` (an end-of-turn judge decided the turn is over); otherwise `[]`."""
        ...

    @property
    def speaking(self) -> bool: ...


class VAD(Protocol):
    """A loaded VAD model (load once, share); `stream()` gives a per-session detector."""

    def stream(self) -> VADStream: ...


# --------------------------------------------------------------------------- end of turn


class EndOfTurn(Protocol):
    """Judges whether a pause ends the user's turn: an audio model (prosody) or a judge of the words."""

    name: str

    def complete_probability(self, audio: Float32Array, transcript: str | None = None) -> float:
        """P(the user has finished) from the turn's 16 kHz audio up to now and, when known, its
        speculative transcript. Sync and blocking (the caller runs it in a model worker); raises
        on failure (the caller then falls back to the VAD's fixed silence)."""
        ...


# --------------------------------------------------------------------------- STT


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = ()
    language: str | None = None
    audio_s: float = 0.0
    """Duration of the audio that was transcribed."""


class STT(Protocol):
    """Batch speech-to-text. Implementations run the blocking decode entirely in a worker thread."""

    name: str

    async def transcribe(
        self,
        audio: Float32Array,
        *,
        prompt: str | None = None,
        word_timestamps: bool = False,
    ) -> Transcript:
        """Transcribe 16 kHz mono float32 audio. Raises `STTError` on engine failure."""
        ...


# --------------------------------------------------------------------------- TTS


class TTS(Protocol):
    """Text-to-speech. `synthesize` yields PCM s16le mono chunks at `sample_rate`."""

    name: str
    sample_rate: int

    def synthesize(self, text: str) -> AsyncIterator[bytes]:
        """Speak one sentence/chunk. Blocking synthesis runs in a worker thread.

        Raises `TTSError` on engine failure (before or during the stream).
        """
        ...


# --------------------------------------------------------------------------- brain


@dataclass(frozen=True, slots=True)
class UserTurn:
    """A finished user turn handed to the brain."""

    turn_id: str
    text: str
    source: Literal["voice", "text", "dtmf"] = "voice"
    words: tuple[Word, ...] = ()
    """STT words with times relative to the start of `audio_s` (voice turns only)."""
    audio_s: float = 0.0
    """Duration of the user's speech segment in seconds (voice turns only)."""
    response_delay_s: float | None = None
    """Seconds from the end of the agent's last utterance to the user's speech onset."""
    pauses_s: tuple[float, ...] = ()
    """Silences inside the user's speech as seen by the VAD (seconds each)."""


@dataclass(frozen=True, slots=True)
class Say:
    """One sentence the agent speaks, of the message `message_id` (the brain splits its reply into
    sentences, once, where it emits them; the voice loop speaks each `Say` as one unit)."""

    text: str
    message_id: str | None = None
    source: Literal["model", "template"] | None = None
    """Who wrote the sentence's words: the language model, or a template (None: not said). The
    brain counts these per session; the voice loop does not need it."""


@dataclass(frozen=True, slots=True)
class Notify:
    """A typed event for the client (tool, evaluation, state, warning); `voice_io.wire.event_message`
    serialises it."""

    event: BrainEvent


@dataclass(frozen=True, slots=True)
class Finished:
    """The conversation is over (last event of `Conversation.finish`, or of `reply` when the
    workflow ended by itself). `summary` goes into `session.ended`."""

    summary: Mapping[str, Any] = field(default_factory=dict)


ReplyEvent = Say | Notify | Finished


@dataclass(frozen=True, slots=True)
class HeardMessage:
    """One message of a reply: what the agent generated and what the user heard of it."""

    message_id: str | None
    spoken: str
    heard: str
    """The heard part ("" when the user heard none of it)."""


@dataclass(frozen=True, slots=True)
class HistoryItem:
    role: Literal["user", "agent"]
    text: str


class Conversation(Protocol):
    """One open conversation (a LangGraph thread)."""

    thread_id: str
    workflow: str
    resumed: bool
    word_timing: bool
    """Transcribe its turns with word timestamps and probabilities (`UserTurn.words`)."""

    def history(self) -> Sequence[HistoryItem]: ...

    def opening(self) -> AsyncIterator[ReplyEvent]:
        """What the agent says first (greeting for a new thread, "welcome back" on resume)."""
        ...

    def reply(self, turn: UserTurn) -> AsyncIterator[ReplyEvent]:
        """Answer one user turn. Cancelled as a unit on barge-in; must leave no half-written state
        (the graph checkpoint is only written when a node completes)."""
        ...

    async def record_heard(
        self, *, spoken: str, heard: str, interrupted: bool, messages: Sequence[HeardMessage] = ()
    ) -> None:
        """After a reply: store what the user really heard in place of what was generated.
        `messages` has one entry per message the reply spoke, in order (`spoken`/`heard` are their
        texts joined). Called after the reply task ended (completed or cancelled); also closes
        dangling tool calls. Must not be cancelled by a later barge-in (callers shield it)."""
        ...

    def finish(self) -> AsyncIterator[ReplyEvent]:
        """The user ended the session: speak the wrap-up and end with `Finished(summary)`."""
        ...

    def record_metrics(self, *, turn_id: str, metrics: Mapping[str, Any]) -> None:
        """Keep one turn's latency waterfall (`turn.metrics` without type and turn_id); returns at
        once (the write is queued)."""
        ...

    async def close(self) -> None:
        """The connection is going away (no more turns). Flush pending writes."""
        ...


class Preemption(Protocol):
    """A reply prepared on a speculative transcript, before the turn is final. Until `commit` it
    leaves no trace: its events wait in `events()` for the consumer, its storage writes and graph
    checkpoints are held; `discard` drops all of it (the next run starts from the state before)."""

    def events(self) -> AsyncIterator[ReplyEvent]:
        """The reply, as `Conversation.reply` would give it (iterated once; it may run ahead of
        `commit`, the consumer holds what it yields)."""
        ...

    async def commit(self) -> None:
        """The final transcript matched: the held writes are made, later ones go straight through."""
        ...

    async def discard(self) -> None:
        """Stale (the user went on, or said something else): stop the run and drop every trace.
        Call it after the `events()` iteration has been stopped."""
        ...


@runtime_checkable
class Preemptive(Protocol):
    """A `Conversation` that can prepare a reply before the turn is final."""

    def preempt(self, turn: UserTurn) -> Preemption:
        """Prepare the reply to `turn` (the speculative transcript); at most one at a time, and only
        while no other reply runs."""
        ...


class Responder(Protocol):
    """The brain, as seen by the voice loop. The graph package implements it."""

    def workflows(self) -> Sequence[str]: ...

    async def open(
        self,
        *,
        workflow: str,
        thread_id: str | None,
        options: Mapping[str, Any],
        owner: str | None = None,
    ) -> Conversation:
        """Start (thread_id None) or resume a conversation.

        Raises `UnknownWorkflow`, `UnknownThread` or `BadOption` (see `voice_io.errors`)."""
        ...
