"""Preemptive replies in the voice loop, on fakes and a virtual clock: prepared on the speculative
transcript during the endpoint wait, played at once when the turn ends as expected (without running
the brain again), and discarded without a trace (nothing sent, nothing stored) when it does not."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fakes import FakePreemption, FakeSTT, settle, silence, tone
from tests.voice_io.test_session import LONG_REPLY, Harness, ended
from voice_io.likely import TurnLikelyEnding
from voice_io.metrics import TurnTimer
from voice_io.session import SessionConfig, VoiceSession
from voice_io.turns import UserSpeech


def preemptive(h: Harness) -> Harness:
    h.session = VoiceSession(
        transport=h.sink,
        responder=h.responder,
        vad=h.session._vad,
        stt=h.stt,
        tts=h.tts,
        # no partial transcripts: each FakeSTT call takes the next scripted text
        config=SessionConfig(
            lead_s=0.3, barge_in_min_speech_s=0.16, partial_interval_s=60, preemptive_reply=True
        ),
        clock=h.clock,
        sleep=h.clock.sleep,
    )
    return h


def agent_texts(h: Harness) -> list[str]:
    return [m["text"] for m in h.sink.messages("agent.text")]


def sent_before_final(h: Harness, turn_id: str) -> list[str]:
    """The types sent from the user's speech onset to the turn's final transcript."""
    items = [(t, m) for t, m in h.sink.items]
    onset = max(
        i
        for i, (t, m) in enumerate(items)
        if t == "json" and m["type"] == "vad" and m["event"] == "speech_start"
    )
    final = next(
        i for i, (t, m) in enumerate(items)
        if t == "json" and m["type"] == "transcript" and m["final"] and m["turn_id"] == turn_id
    )  # fmt: skip
    return [m["type"] if t == "json" else t for t, m in items[onset:final]]


def metrics_of(h: Harness, turn_id: str) -> dict[str, Any]:
    return next(m for m in h.sink.messages("turn.metrics") if m["turn_id"] == turn_id)


async def test_a_committed_preemption_plays_at_once_without_running_the_brain_again() -> None:
    h = preemptive(
        Harness(replies=["Tell me about a project you led. Take your time."], stt=FakeSTT(["I am ready."]))
    )
    await h.start()
    await h.until(ended(h))
    await h.play(silence(0.3) + tone(1.0) + silence(0.7))
    await h.until(ended(h, 2))
    conversation = h.conversation
    [preemption] = conversation.preemptions
    assert preemption.state == "committed" and preemption.runs == 1
    assert conversation.reply_calls == 0  # the committed reply is the prepared one
    assert [t.text for t in conversation.turns] == ["I am ready."]
    assert agent_texts(h)[-2:] == ["Tell me about a project you led.", "Take your time."]
    # its first sentence was synthesised while held, once
    assert h.tts.spoken.count("Tell me about a project you led.") == 1
    final = [m for m in h.sink.messages("transcript") if m["final"]][-1]
    assert sent_before_final(h, final["turn_id"]) == ["vad", "vad"]  # nothing of it before the turn is final
    metrics = metrics_of(h, final["turn_id"])
    assert metrics["preempted"] is True and metrics["preempt_discards"] == 0
    # prepared once the pause reached `speculate_after_s` (120 ms): ~the rest of the 480 ms endpoint before
    assert metrics["preempt_lead_ms"] >= 300
    assert h.session._preempt.committed == 1 and h.session._preempt.discarded == 0


async def test_speech_after_the_likely_end_discards_the_preemption_without_a_trace() -> None:
    h = preemptive(Harness(stt=FakeSTT(["I think that", "I think that we should ship it."])))
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    # a pause mid-thought (shorter than the endpoint): the speculative "I think that" goes stale
    await h.play(tone(1.0) + silence(0.3) + tone(1.2) + silence(0.8))
    await h.until(ended(h, 2))
    conversation = h.conversation
    states = [p.state for p in conversation.preemptions]
    assert states == ["discarded", "committed"]
    assert [p.turn.text for p in conversation.preemptions] == [
        "I think that",
        "I think that we should ship it.",
    ]
    assert [t.text for t in conversation.turns] == ["I think that we should ship it."]  # nothing else stored
    assert agent_texts(h)[-1] == "You said: I think that we should ship it."
    assert not any("You said: I think that." == t for t in agent_texts(h))  # nothing of the discarded one
    final = [m for m in h.sink.messages("transcript") if m["final"]][-1]
    assert set(sent_before_final(h, final["turn_id"])) <= {"vad", "transcript"}
    metrics = metrics_of(h, final["turn_id"])
    assert metrics["preempted"] is True and metrics["preempt_discards"] == 1


async def test_speech_in_the_grace_discards_and_the_joined_turn_is_prepared_anew() -> None:
    h = preemptive(Harness(stt=FakeSTT(["I think that", "I think that we should ship it."])))
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    # past the endpoint, but "I think that" looks unfinished: the turn waits a grace, and the user goes on
    await h.play(tone(0.8) + silence(0.7) + tone(1.2) + silence(0.8))
    await h.until(ended(h, 2))
    conversation = h.conversation
    assert [p.state for p in conversation.preemptions] == ["discarded", "committed"]
    assert [t.text for t in conversation.turns] == ["I think that we should ship it."]
    assert agent_texts(h)[-1] == "You said: I think that we should ship it."
    assert h.stt.calls[-1] > 2.0  # the joined turn was decoded as a whole
    finals = [m["text"] for m in h.sink.messages("transcript") if m["final"]]
    assert finals[-1] == "I think that we should ship it." and "I think that" not in finals


async def test_a_final_transcript_that_differs_discards_and_the_brain_answers_it() -> None:
    h = preemptive(Harness())
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    session = h.session
    common: dict[str, Any] = {"words": (), "audio_s": 1.0, "pauses_s": (), "onset_at": h.clock()}
    await session._on_turn_event(TurnLikelyEnding(turn_id="t1", text="Yes.", **common))
    await settle()
    [preemption] = h.conversation.preemptions
    assert isinstance(preemption, FakePreemption) and preemption.finished  # ready, and held
    assert "You said: Yes." not in agent_texts(h)
    timer = TurnTimer(turn_id="t1", speech_end=h.clock(), accepted=h.clock())
    await session._on_turn_event(UserSpeech(turn_id="t1", text="Yes, but no.", timer=timer, **common))
    await h.until(ended(h, 2))
    assert preemption.state == "discarded"
    assert [t.text for t in h.conversation.turns] == ["Yes, but no."]
    assert agent_texts(h)[-1] == "You said: Yes, but no." and "You said: Yes." not in agent_texts(h)
    assert metrics_of(h, "t1")["preempted"] is False and metrics_of(h, "t1")["preempt_discards"] == 1


async def test_the_same_words_with_other_punctuation_commit() -> None:
    h = preemptive(Harness())
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    session = h.session
    common: dict[str, Any] = {"words": (), "audio_s": 1.0, "pauses_s": (), "onset_at": h.clock()}
    await session._on_turn_event(TurnLikelyEnding(turn_id="t1", text="yes I'm ready", **common))
    timer = TurnTimer(turn_id="t1", speech_end=h.clock(), accepted=h.clock())
    await session._on_turn_event(UserSpeech(turn_id="t1", text="Yes, I'm ready.", timer=timer, **common))
    await h.until(ended(h, 2))
    assert [p.state for p in h.conversation.preemptions] == ["committed"]
    assert h.conversation.reply_calls == 0


async def test_a_typed_turn_discards_the_held_reply() -> None:
    h = preemptive(Harness())
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    common: dict[str, Any] = {"words": (), "audio_s": 1.0, "pauses_s": (), "onset_at": h.clock()}
    await h.session._on_turn_event(TurnLikelyEnding(turn_id="t1", text="Spoken words.", **common))
    await settle()  # the reply is prepared and held
    await h.send(type="text", text="typed words")
    await h.until(ended(h, 2))
    assert [p.state for p in h.conversation.preemptions] == ["discarded"]
    assert [t.text for t in h.conversation.turns] == ["typed words"]
    assert "You said: Spoken words." not in agent_texts(h)


async def test_no_preemption_while_the_agent_speaks_or_when_it_is_off() -> None:
    h = preemptive(Harness(replies=[LONG_REPLY]))
    await h.start()  # the greeting is playing
    common: dict[str, Any] = {"words": (), "audio_s": 1.0, "pauses_s": (), "onset_at": h.clock()}
    await h.session._on_turn_event(TurnLikelyEnding(turn_id="t1", text="Hello?", **common))
    assert h.conversation.preemptions == []
    off = Harness(stt=FakeSTT(["I am ready."]))
    await off.start()
    await off.until(ended(off))
    await off.play(tone(1.0) + silence(0.7))
    await off.until(ended(off, 2))
    assert off.conversation.preemptions == [] and off.conversation.reply_calls == 1
    assert off.sink.messages("turn.metrics")[-1]["preempted"] is False


async def test_barge_in_on_a_committed_preemption_stops_it_and_keeps_what_was_heard() -> None:
    h = preemptive(
        Harness(replies=[LONG_REPLY, "Sure, go ahead."], stt=FakeSTT(["ready", "wait, can I ask something"]))
    )
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    assert [p.state for p in h.conversation.preemptions] == ["committed"]
    await h.play(silence(1.0))  # the user hears one second of the long answer
    await h.play(tone(0.4))  # ... and talks over it
    interrupted = h.sink.first("interrupted")
    assert h.audio_after("interrupted") == 0
    await h.play(tone(0.6) + silence(0.7))
    await h.until(ended(h, 2))
    record = h.conversation.heard[1]
    assert record["interrupted"] is True and record["heard"] == interrupted["heard_text"]
    assert 0 < len(record["heard"].split()) < len(LONG_REPLY.split()) / 2
    assert h.conversation.turns[-1].text == "wait, can I ask something"
    # nothing of the preemptive machinery is left running
    assert not [t.get_name() for t in asyncio.all_tasks() if t.get_name().startswith("preempt")]


async def test_committed_before_its_first_sentence_is_synthesised_once() -> None:
    h = preemptive(Harness())
    h.responder.echo = True
    await h.start()
    await h.until(ended(h))
    common: dict[str, Any] = {"words": (), "audio_s": 1.0, "pauses_s": (), "onset_at": h.clock()}
    await h.session._on_turn_event(TurnLikelyEnding(turn_id="t1", text="Go.", **common))
    timer = TurnTimer(turn_id="t1", speech_end=h.clock(), accepted=h.clock())
    # the final turn comes before the brain said anything (a slow first sentence)
    await h.session._on_turn_event(UserSpeech(turn_id="t1", text="Go.", timer=timer, **common))
    await h.until(ended(h, 2))
    assert [p.state for p in h.conversation.preemptions] == ["committed"]
    assert h.tts.spoken.count("You said: Go.") == 1
