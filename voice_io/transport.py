"""The transport seam: how one caller is connected (browser WebSocket, phone call, WebRTC peer).

A transport delivers the caller's audio and control events, and plays the agent's audio one
utterance at a time. `VoiceSession.run()` drives a session from `receive()` until the caller leaves;
everything else (turn-taking, barge-in, heard text, metrics) is the session's, the same on every
transport. The browser WebSocket protocol (docs/protocol.md) is one implementation
(`voice_agent.ws.BrowserSocket`); a test one is `tests.fakes.RecordingTransport`.

Agent audio on a transport, for one utterance:

    start_utterance ─▶ send_frame × N (paced: at most `SessionConfig.lead_s` ahead of real time)
                    ─▶ agent.audio_end event   or, on barge-in:   flush ─▶ interrupted event

`played_s` is the caller's own report of how much it played (a browser `playback` message, a Twilio
`mark` echo, a WebRTC track's clock); without one the session uses its pacing estimate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from voice_io.errors import ClientError
from voice_io.wire import ClientMessage


@dataclass(frozen=True, slots=True)
class Keypad:
    """Digits the caller pressed (DTMF), collected by the transport into one turn: handled like a
    typed turn (it interrupts the agent) and handed to the brain as `UserTurn(source="dtmf")`."""

    digits: str


Inbound = ClientMessage | Keypad | bytes | ClientError
"""What a transport delivers: a control event, keypad digits, a frame of caller audio (PCM s16le
mono at the `sample_rate` of its `SessionStart`), or input it could not understand (the session
reports it with the error's protocol code and counts it towards the bad-input limit; a transport
whose protocol wants bad input only logged, such as Twilio's, counts it itself and never yields it)."""


class Transport(Protocol):
    def receive(self) -> AsyncIterator[Inbound]:
        """The caller's audio and control events in arrival order; ends when the caller has gone."""
        ...

    async def send_event(self, message: Mapping[str, Any]) -> None:
        """One protocol event (docs/protocol.md server → client message). A transport without a
        control channel (a phone line) may drop it. Raises `ConnectionError` once the caller is gone."""
        ...

    async def start_utterance(self, *, utterance_id: str, turn_id: str, sample_rate: int) -> None:
        """Agent audio begins: frames of PCM s16le mono at `sample_rate` follow."""
        ...

    async def send_frame(self, pcm: bytes) -> None:
        """One frame of the current utterance (the session paces them in real time)."""
        ...

    async def flush(self) -> None:
        """Barge-in: stop playing the current utterance at once and drop whatever is still queued."""
        ...

    def played_s(self, utterance_id: str) -> float | None:
        """Seconds of the utterance the caller reported as played, or None when it reported none."""
        ...

    async def close(self, code: int, reason: str) -> None:
        """End the connection (WebSocket close codes: 1008 abuse, 1011 internal failure)."""
        ...
