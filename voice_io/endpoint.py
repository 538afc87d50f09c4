"""The turn policy on top of the VAD endpoint.

- **Early endpoint** (`EarlyEndpoint`): an end-of-turn judge (the smart-turn audio model) may end
  a turn after a short pause instead of the VAD's fixed min-silence.
- **Grace**: a light check of the transcript: does it look like the user stopped mid-thought ("ask
  not…", "and so, my fellow…", "because")? Then the session waits a little longer before answering,
  and speech that resumes in that grace joins the same turn.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import KW_ONLY, dataclass, field

from voice_io.config import SessionConfig
from voice_io.listener import Listener
from voice_io.protocols import INPUT_RATE, EndOfTurn, Float32Array
from voice_io.workers import run_in

__all__ = ["EarlyEndpoint", "EndOfTurn", "looks_unfinished", "thinking_aloud"]

log = logging.getLogger(__name__)

_TRAILING = {
    "and", "but", "so", "or", "because", "the", "a", "an", "to", "of", "not", "my", "your", "our",
    "with", "for", "if", "that", "then", "like", "um", "uh", "er", "erm", "is", "are", "was", "were",
    "i", "we", "you", "in", "on", "at", "as", "than", "which", "who", "when", "while", "although",
    "about", "from", "into", "by", "what", "how", "why", "where", "also", "just", "well",
}  # fmt: skip
_WORD = re.compile(r"[a-z']+")
_THINKING = re.compile(
    r"(?:\blet me (?:think|see)|\bgive me a (?:second|sec|moment|minute)|\bhold on|\bgood question|"
    r"\bhmm+|\bum+|\buh+|\berm|\bwell|\bi'm thinking|\bthinking)\W*$",
    re.IGNORECASE,
)


def thinking_aloud(text: str) -> bool:
    """True for a transcript that ends in thinking aloud ("let me think", "hmm", a trailing "um"):
    the user is likely to go on after a longer pause (the session waits `thinking_grace_s`)."""
    return bool(_THINKING.search(text.strip()))


def looks_unfinished(text: str) -> bool:
    """True for a transcript that probably continues after the pause."""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith((",", "-", "—", "...", "…", ":", ";")):
        return True
    words = _WORD.findall(stripped.lower())
    if not words:
        return False
    if words[-1] in _TRAILING:
        return True
    return thinking_aloud(stripped)


@dataclass(eq=False)
class EarlyEndpoint:
    """Ends a turn before the VAD's fixed min-silence when an end-of-turn judge says it is finished.

    After `silence_s` of a pause (on the audio clock), the judge (`voice_io.protocols.EndOfTurn`)
    hears the turn's audio up to now, once per pause, in a model worker. A probability of at least
    `threshold` ends the segment at once (`Listener.end_now`); a lower one leaves the pause to the
    fixed min-silence. A judge that fails also leaves it there, with a warning.
    """

    listener: Listener
    judge: EndOfTurn | None
    _: KW_ONLY
    silence_s: float
    threshold: float
    failures: int = field(default=0, init=False)
    _judged: int | None = field(default=None, init=False, repr=False)
    """The pause (`Listener.pause_index`) the judge has heard already: once per pause."""
    _task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    @classmethod
    def of(cls, listener: Listener, judge: EndOfTurn | None, config: SessionConfig) -> EarlyEndpoint:
        """The policy for a session (with no judge: it does nothing, the fixed silence ends turns)."""
        return cls(listener, judge, silence_s=config.eot_silence_s, threshold=config.eot_threshold)

    def check(self) -> None:
        """After every frame: ask the judge when the current pause is `silence_s` old."""
        listener = self.listener
        pause = listener.pause_index
        if self.judge is None or pause is None or pause == self._judged:
            return
        if (listener.now_index - pause) / INPUT_RATE < self.silence_s:
            return
        audio = listener.turn_audio()
        if audio is None:
            return
        self._judged = pause
        text = listener.speculative_text()
        self._task = asyncio.create_task(self._ask(pause, audio, text), name="end-of-turn")

    async def _ask(self, pause: int, audio: Float32Array, text: str | None) -> None:
        assert self.judge is not None
        try:
            probability = await run_in("eot", self.judge.complete_probability, audio, text)
        except Exception as exc:  # any failure of the judge: the fixed silence ends the turn
            self.failures += 1
            level = logging.WARNING if self.failures == 1 else logging.DEBUG  # once per session
            log.log(
                level, "end-of-turn judge %s failed (%s): the fixed silence ends turns", self.judge.name, exc
            )
            return
        self.listener.judged(pause, probability)
        if probability >= self.threshold:
            await self.listener.end_now(pause)

    async def settle(self) -> None:
        """Wait for a verdict in flight (a driver that feeds audio faster than real time calls this
        after each frame, so the verdict lands at the audio position where it was asked)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
