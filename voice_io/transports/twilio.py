"""The transport for one Twilio Media Stream (bidirectional `<Connect><Stream>`).

    Twilio ─ connected/start/media/mark/dtmf/stop ─▶ TwilioCall.receive() ─▶ VoiceSession
    Twilio ◀─ media (20 ms µ-law) / mark / clear ─── TwilioCall.send_frame / flush / send_event

- `start` opens the conversation: its `customParameters` carry the workflow, its options, an
  optional `thread_id` and the call's metadata put there by the TwiML webhook (`caller`: the hashed
  number, `auth`: the webhook's signature over the call SID, checked by `verify_start`).
- Caller audio: base64 µ-law 8 kHz -> PCM16 8 kHz (the session resamples to 16 kHz for VAD/STT).
- Agent audio: PCM16 at the TTS rate -> 8 kHz µ-law in 20 ms `media` frames (paced by the session),
  with a `mark` every `mark_every` frames and at each sentence boundary. Twilio echoes a mark once
  the audio before it has played: `played_s` reports that, so the heard text is what was played.
- Barge-in: `flush` sends `clear` (Twilio drops its buffer at once); marks that Twilio echoes for
  the cleared audio are ignored.
- DTMF: digits are collected until `#` or a pause of `dtmf_gap_s`, then become the caller's turn.
- Bad input (malformed JSON/event/base64, media before `start`) is logged and counted in `stats`;
  the call goes on. A `streamSid` other than the started one, or `stop`, ends the stream.
- Protocol events of the browser protocol have no place on a phone line: they go to `on_event`
  (the server stores metrics and the call's ids from them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from time import monotonic
from typing import Any

from voice_io import wire
from voice_io.transport import Inbound, Keypad
from voice_io.transports import twilio_wire as tw
from voice_io.transports.mulaw import FRAME_MS, PHONE_RATE, PhoneEncoder, mulaw_to_pcm16

log = logging.getLogger(__name__)

TAIL_AFTER_S = 0.06
"""No frame for this long: the session has paused, so the resampler's tail goes out."""
RESERVED_PARAMETERS = ("workflow", "thread_id", "caller", "auth")
"""customParameters that are not workflow options."""

SendText = Callable[[str], Awaitable[None]]
CloseSocket = Callable[[int, str], Awaitable[None]]
VerifyStart = Callable[[tw.Start], bool]
OnEvent = Callable[[Mapping[str, Any], "TwilioCall"], None]


@dataclass(kw_only=True, eq=False)
class TwilioCall:
    frames: AsyncIterator[str | bytes]
    send_text: SendText
    close_socket: CloseSocket
    default_workflow: str = "intake"
    verify_start: VerifyStart | None = None
    on_event: OnEvent | None = None
    mark_every: int = 10
    dtmf_gap_s: float = 1.5
    clock: Callable[[], float] = monotonic

    def __post_init__(self) -> None:
        self.stats: Counter[str] = Counter()
        self.start: tw.Start | None = None
        self.thread_id: str | None = None
        self.closed = False
        self._encoders: dict[int, PhoneEncoder] = {}
        self._encoder: PhoneEncoder | None = None
        self._utterance: str | None = None
        self._sent = 0
        self._since_mark = 0
        self._played: dict[str, float] = {}
        self._cleared: set[str] = set()
        self._digits = ""
        self._digit_at = 0.0
        self._tail: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def stream_sid(self) -> str | None:
        return self.start.stream_sid if self.start else None

    # ------------------------------------------------------------------ from Twilio

    async def receive(self) -> AsyncIterator[Inbound]:
        async for raw in self.frames:
            if self._digits and self.clock() - self._digit_at >= self.dtmf_gap_s:
                yield self._keypad()
            try:
                event = tw.parse_event(raw)
            except tw.TwilioProtocolError as exc:
                self._bad("malformed", str(exc))
                continue
            if isinstance(event, tw.Connected):
                self.stats["connected"] += 1
                continue
            if isinstance(event, tw.Start):
                start = self._on_start(event)
                if start is None:
                    if self.start is None or event.stream_sid != self.start.stream_sid:
                        await self.close(1008, "stream refused")
                        return
                    continue
                yield start
                continue
            if self.start is None:
                self._bad("before_start", f"{event.event} before start")
                continue
            if event.stream_sid != self.start.stream_sid:
                log.warning("unknown streamSid %r (stream is %r): closing", event.stream_sid, self.stream_sid)
                self.stats["unknown_stream"] += 1
                await self.close(1008, "unknown streamSid")
                return
            self.stats[event.event] += 1
            if isinstance(event, tw.Media):
                if event.media.track in ("inbound", "inbound_track"):
                    yield mulaw_to_pcm16(event.media.payload)
            elif isinstance(event, tw.Mark):
                self._on_mark(event.mark.name)
            elif isinstance(event, tw.Dtmf):
                if event.dtmf.digit == "#":
                    if self._digits:
                        yield self._keypad()
                else:
                    self._digits += event.dtmf.digit
                    self._digit_at = self.clock()
            elif isinstance(event, tw.Stop):
                log.info("stream %s stopped (call %s)", self.stream_sid, event.stop.call_sid)
                return

    def _on_start(self, event: tw.Start) -> wire.SessionStart | None:
        if self.start is not None:
            self._bad("second_start", "a second start on one stream")
            return None
        fmt = event.start.media_format
        if fmt.encoding != "audio/x-mulaw" or fmt.sample_rate != PHONE_RATE or fmt.channels != 1:
            log.warning("stream %s: unsupported media format %s", event.stream_sid, fmt)
            return None
        if self.verify_start is not None and not self.verify_start(event):
            log.warning("stream %s: start not signed by our webhook", event.stream_sid)
            self.stats["unverified"] += 1
            return None
        self.start = event
        self.stats["start"] += 1
        params = event.start.custom_parameters
        return wire.SessionStart(
            workflow=params.get("workflow") or self.default_workflow,
            thread_id=params.get("thread_id") or None,
            sample_rate=PHONE_RATE,
            options={k: v for k, v in params.items() if k not in RESERVED_PARAMETERS},
        )

    def _on_mark(self, name: str) -> None:
        utterance, _, ms = name.partition(":")
        if utterance in self._cleared or not ms.isdigit():
            return  # echoed because of `clear` (not played), or not ours
        self.stats["marks_played"] += 1
        self._played[utterance] = max(self._played.get(utterance, 0.0), int(ms) / 1000)

    def _keypad(self) -> Keypad:
        digits, self._digits = self._digits, ""
        log.info("stream %s: keypad %s", self.stream_sid, digits)
        return Keypad(digits=digits)

    def _bad(self, kind: str, detail: str) -> None:
        self.stats[f"bad_{kind}"] += 1
        log.warning("twilio stream %s: %s (the call goes on)", self.stream_sid, detail)

    # ------------------------------------------------------------------ to Twilio

    def played_s(self, utterance_id: str) -> float | None:
        return self._played.get(utterance_id)

    async def start_utterance(self, *, utterance_id: str, turn_id: str, sample_rate: int) -> None:
        encoder = self._encoders.get(sample_rate)
        if encoder is None:
            encoder = self._encoders[sample_rate] = PhoneEncoder(sample_rate)
        encoder.reset()
        self._encoder = encoder
        self._utterance = utterance_id
        self._sent = 0
        self._since_mark = 0

    async def send_frame(self, pcm: bytes) -> None:
        if self._encoder is None or self._utterance is None:
            return
        for frame in self._encoder.push(pcm):
            await self._media(frame)
        self._arm_tail()

    def _arm_tail(self) -> None:
        """The resampler holds the last ~40 ms: send it once the session pauses (end of a sentence)."""
        if self._tail is not None:
            self._tail.cancel()
        self._tail = asyncio.get_running_loop().call_later(TAIL_AFTER_S, self._spawn_tail)

    def _spawn_tail(self) -> None:
        task = asyncio.get_running_loop().create_task(self._flush_tail(), name="twilio-tail")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_tail(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._end_chunk()

    async def _end_chunk(self) -> None:
        """A sentence's audio is complete: the resampler's tail, then a mark, so the mark's position
        (in sent audio) covers the whole sentence."""
        if self._tail is not None:
            self._tail.cancel()
        self._tail = None
        if self._encoder is not None and self._utterance is not None:
            for frame in self._encoder.flush():
                await self._media(frame)
        if self._since_mark:
            await self._mark()

    async def flush(self) -> None:
        """Barge-in: Twilio drops the audio it holds; nothing of this utterance is sent again."""
        if self._tail is not None:
            self._tail.cancel()
            self._tail = None
        utterance, self._utterance = self._utterance, None
        if utterance is not None:
            self._cleared.add(utterance)
        if self._encoder is not None:
            self._encoder.reset()
        if self.stream_sid is not None:
            self.stats["clear_out"] += 1
            await self.send_text(tw.clear_message(self.stream_sid))

    async def send_event(self, message: Mapping[str, Any]) -> None:
        kind = message.get("type")
        if kind == "session.started":
            self.thread_id = str(message["thread_id"])
        elif kind == "agent.text":
            await self._end_chunk()  # a sentence boundary
        elif kind == "agent.audio_end" and message.get("utterance_id") == self._utterance:
            await self._end_utterance()
        elif kind == "error":
            log.warning("stream %s: %s: %s", self.stream_sid, message.get("code"), message.get("message"))
        if self.on_event is not None:
            self.on_event(message, self)
        if kind == "error" and self.thread_id is None and self.start is not None:
            await self.close(1011, "the conversation could not start")
        elif kind == "session.ended":
            await self.close(1000, "conversation ended")  # Twilio hangs up after <Connect>

    async def _media(self, frame: bytes) -> None:
        assert self.stream_sid is not None
        await self.send_text(tw.media_message(self.stream_sid, frame))
        self._sent += 1
        self._since_mark += 1
        self.stats["media_out"] += 1
        if self._since_mark >= self.mark_every:
            await self._mark()

    async def _mark(self) -> None:
        if self._utterance is None or self.stream_sid is None:
            return
        self._since_mark = 0
        self.stats["marks_out"] += 1
        await self.send_text(tw.mark_message(self.stream_sid, f"{self._utterance}:{self._sent * FRAME_MS}"))

    async def _end_utterance(self) -> None:
        await self._end_chunk()
        self._utterance = None

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.closed:
            return
        self.closed = True
        if any(k.startswith("bad_") for k in self.stats):
            log.info("stream %s closing; %s", self.stream_sid, dict(self.stats))
        await self.close_socket(code, reason)
