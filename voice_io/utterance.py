"""What one agent utterance said, and how much of it the user heard, per sentence and per message.

Each `Say` the brain yields is one sentence of one message (`message_id`). The Speaker appends it to
`said` when it arrives and its timing to `spoken` when its audio starts, so `said[i]` is the
sentence `spoken[i]` times. What was heard: every sentence played to its end, then the played share
of the current one (in whole words). Nothing is realigned by counting words across messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from voice_io.pacer import Playout
from voice_io.protocols import Finished, HeardMessage


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    message_id: str | None = None


@dataclass
class Spoken:
    start_s: float
    """Play position (seconds into the utterance) of the sentence's first frame."""
    duration_s: float = 0.0
    shown_only: bool = False
    """Done without audio (TTS failed or gave none): the user saw it, which counts as heard."""


@dataclass
class Utterance:
    utterance_id: str
    turn_id: str
    playout: Playout
    said: list[Sentence] = field(default_factory=list)
    spoken: list[Spoken] = field(default_factory=list)
    before: list[HeardMessage] = field(default_factory=list)
    """For an utterance that resumes an interrupted one (after a backchannel): each message as
    generated, with what was heard of it before."""
    reported: Callable[[], float | None] = lambda: None
    """The transport's report of how much the caller played (None: no report)."""
    audio_started: bool = False
    audio_ended: bool = False
    finished: Finished | None = None
    _frozen: list[tuple[Sentence, str]] | None = None

    def played_s(self) -> float:
        reported = self.reported()
        if reported is not None:
            return min(reported, self.playout.sent_s)
        return self.playout.played_s()

    def freeze(self) -> None:
        """Barge-in: what was heard is fixed now (the play-head estimate would run on)."""
        if self._frozen is None:
            self._frozen = self._heard_sentences()

    def heard_text(self) -> str:
        """What the user heard of this utterance."""
        return " ".join(part for _, part in self._heard())

    def unheard(self) -> list[Sentence]:
        """The rest after the heard words: the current sentence's unheard words, then the others."""
        heard = self._heard()
        rest = self.said[len(heard) :]
        if heard and heard[-1][1] != heard[-1][0].text:
            sentence, part = heard[-1]
            remainder = " ".join(sentence.text.split()[len(part.split()) :])
            rest = [Sentence(remainder, sentence.message_id), *rest]
        return rest

    def messages(self) -> list[HeardMessage]:
        """Each message of the reply in speaking order: all it generated and what was heard of it
        (across the utterances it resumes)."""
        heard_now: dict[str | None, list[str]] = {}
        for sentence, part in self._heard():
            heard_now.setdefault(sentence.message_id, []).append(part)
        out = [
            HeardMessage(m.message_id, m.spoken, _join(m.heard, *heard_now.pop(m.message_id, ())))
            for m in self.before
        ]
        if self.before:  # a resumed utterance only speaks the rest of the messages above
            return out
        ids = list(dict.fromkeys(s.message_id for s in self.said))
        for message_id in ids:
            spoken = _join(*(s.text for s in self.said if s.message_id == message_id))
            out.append(HeardMessage(message_id, spoken, _join(*heard_now.get(message_id, ()))))
        return out

    def _heard(self) -> list[tuple[Sentence, str]]:
        return self._frozen if self._frozen is not None else self._heard_sentences()

    def _heard_sentences(self) -> list[tuple[Sentence, str]]:
        played = self.played_s()
        out: list[tuple[Sentence, str]] = []
        for sentence, item in zip(self.said, self.spoken, strict=False):
            if item.shown_only or (item.duration_s > 0 and played >= item.start_s + item.duration_s - 1e-3):
                out.append((sentence, sentence.text))
                continue
            if played > item.start_s and item.duration_s > 0:
                words = sentence.text.split()
                n = int(len(words) * (played - item.start_s) / item.duration_s)
                if n:
                    out.append((sentence, " ".join(words[:n])))
            break
        return out


def join_messages(messages: list[HeardMessage]) -> tuple[str, str]:
    """(all spoken, all heard) of a reply's messages, as single texts."""
    return _join(*(m.spoken for m in messages)), _join(*(m.heard for m in messages))


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p.strip())
