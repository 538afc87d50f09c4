"""What the user heard of an utterance, per sentence and per message."""

from __future__ import annotations

from tests.fakes import VirtualClock
from voice_io.pacer import Playout
from voice_io.protocols import HeardMessage
from voice_io.utterance import Sentence, Spoken, Utterance, join_messages

RATE = 16_000


def utterance(
    clock: VirtualClock, sentences: list[tuple[str, str | None]], seconds: list[float]
) -> Utterance:
    """An utterance whose sentences were sent back to back, `seconds` each, starting now."""
    utt = Utterance(utterance_id="u1", turn_id="t1", playout=Playout(sample_rate=RATE, clock=clock))
    for (text, message_id), duration in zip(sentences, seconds, strict=False):
        utt.said.append(Sentence(text, message_id))
        start = utt.playout.sent_s
        utt.spoken.append(Spoken(start_s=start))
        utt.playout.on_sent(int(duration * RATE) * 2)
        utt.spoken[-1].duration_s = utt.playout.sent_s - start
    for text, message_id in sentences[len(seconds) :]:
        utt.said.append(Sentence(text, message_id))  # generated, not spoken yet
    return utt


SENTENCES = [("One two three four.", "a"), ("Five six seven eight.", "b"), ("Nine ten.", "b")]


async def test_heard_is_whole_sentences_then_the_played_share_of_the_current_one() -> None:
    clock = VirtualClock()
    utt = utterance(clock, SENTENCES, [1.0, 1.0])
    assert utt.heard_text() == ""
    await clock.advance(1.5)
    assert utt.heard_text() == "One two three four. Five six"
    assert utt.unheard() == [Sentence("seven eight.", "b"), Sentence("Nine ten.", "b")]


async def test_messages_report_each_message_with_its_heard_part() -> None:
    clock = VirtualClock()
    utt = utterance(clock, SENTENCES, [1.0, 1.0])
    await clock.advance(1.5)
    assert utt.messages() == [
        HeardMessage("a", "One two three four.", "One two three four."),
        HeardMessage("b", "Five six seven eight. Nine ten.", "Five six"),
    ]
    assert join_messages(utt.messages()) == (
        "One two three four. Five six seven eight. Nine ten.",
        "One two three four. Five six",
    )


async def test_a_frozen_utterance_keeps_what_was_heard_at_the_barge_in() -> None:
    clock = VirtualClock()
    utt = utterance(clock, SENTENCES, [1.0, 1.0])
    await clock.advance(0.5)
    utt.freeze()
    await clock.advance(5.0)  # the estimate would say everything sent was played by now
    assert utt.heard_text() == "One two"


async def test_the_callers_report_wins_over_the_estimate_but_not_past_what_was_sent() -> None:
    clock = VirtualClock()
    utt = utterance(clock, SENTENCES, [1.0, 1.0])
    report: list[float | None] = [0.0]
    utt.reported = lambda: report[0]
    await clock.advance(1.5)
    assert utt.heard_text() == ""
    report[0] = 60.0
    assert utt.heard_text() == "One two three four. Five six seven eight."


async def test_a_resumed_utterance_reports_the_heard_text_across_both() -> None:
    clock = VirtualClock()
    first = utterance(clock, SENTENCES, [1.0, 1.0])
    await clock.advance(1.5)
    first.freeze()
    rest = first.unheard()
    resumed = utterance(clock, [(s.text, s.message_id) for s in rest], [0.5, 0.5])
    resumed.before = first.messages()
    await clock.advance(0.75)
    assert resumed.heard_text() == "seven eight. Nine"
    assert resumed.messages() == [
        HeardMessage("a", "One two three four.", "One two three four."),
        HeardMessage("b", "Five six seven eight. Nine ten.", "Five six seven eight. Nine"),
    ]


async def test_a_sentence_shown_without_audio_counts_as_heard() -> None:
    clock = VirtualClock()
    utt = utterance(clock, [("Shown only.", None)], [0.0])
    utt.spoken[0].shown_only = True  # TTS failed: the text was on screen
    assert utt.heard_text() == "Shown only." and utt.unheard() == []


async def test_a_sentence_still_being_synthesised_is_not_heard() -> None:
    clock = VirtualClock()
    utt = utterance(clock, [("Played.", None), ("Still in TTS.", None)], [0.5, 0.0])
    await clock.advance(2.0)
    assert utt.heard_text() == "Played."
    assert utt.unheard() == [Sentence("Still in TTS.", None)]
