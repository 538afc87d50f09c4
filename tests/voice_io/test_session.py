"""The voice loop's turn-taking, barge-in and protocol behaviour, on fakes and a virtual clock."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.fakes import (
    EnergyVAD,
    FakeResponder,
    FakeSTT,
    FakeTTS,
    RecordingTransport,
    VirtualClock,
    settle,
    silence,
    tone,
)
from voice_io.protocols import Finished, Say
from voice_io.session import SessionConfig, VoiceSession
from voice_io.transport import Keypad

LONG_REPLY = (
    "That is a great question. Let me explain how our team handles code review in detail. "
    "First we split changes into small pieces. Then two people read every change carefully. "
    "Finally we ship behind a flag and watch the metrics."
)


class Harness:
    def __init__(
        self, *, replies=(), stt: FakeSTT | None = None, tts: FakeTTS | None = None, word_timing: bool = True
    ) -> None:
        self.clock = VirtualClock()
        self.sink = RecordingTransport()
        self.responder = FakeResponder(replies, word_timing=word_timing)
        self.stt = stt or FakeSTT()
        self.tts = tts or FakeTTS()
        self.session = VoiceSession(
            transport=self.sink,
            responder=self.responder,
            vad=EnergyVAD(min_speech_ms=96, min_silence_ms=480, speech_pad_ms=64),
            stt=self.stt,
            tts=self.tts,
            config=SessionConfig(lead_s=0.3, barge_in_min_speech_s=0.16),
            clock=self.clock,
            sleep=self.clock.sleep,
        )

    async def send(self, **message) -> None:
        await self.send_raw(json.dumps(message))

    async def send_raw(self, frame: str) -> None:
        await self.session.handle(self.sink.inbound(frame))

    async def start(self, **extra) -> None:
        await self.send(type="session.start", workflow="interview", thread_id=None, **extra)

    async def play(self, pcm: bytes, frame_ms: int = 20) -> None:
        size = 16 * frame_ms * 2
        for i in range(0, len(pcm), size):
            await self.session.handle_audio(pcm[i : i + size])
            await self.clock.advance(frame_ms / 1000)

    async def until(self, cond: Callable[[], bool], limit_s: float = 60.0) -> None:
        waited = 0.0
        while not cond():
            await settle()
            await self.session.handle_audio(silence(0.02))
            await self.clock.advance(0.02)
            waited += 0.02
            assert waited < limit_s, f"condition not met; saw {self.sink.types()}"

    @property
    def conversation(self):
        return next(iter(self.responder.conversations.values()))

    def audio_after(self, kind: str) -> int:
        items = self.sink.items
        idx = next(i for i, (t, m) in enumerate(items) if t == "json" and m["type"] == kind)
        return sum(1 for t, _ in items[idx + 1 :] if t == "audio")


def ended(h: Harness, n: int = 1) -> Callable[[], bool]:
    return lambda: len(h.sink.messages("agent.audio_end")) >= n


async def test_session_started_comes_first_and_greeting_is_spoken_in_order() -> None:
    h = Harness()
    await h.start()
    await h.until(ended(h))
    types = h.sink.types()
    assert types[0] == "session.started"
    started = h.sink.first("session.started")
    assert started["output_sample_rate"] == 16_000 and started["resumed"] is False
    first_text = types.index("agent.text")
    assert types.index("agent.audio_start") > first_text
    assert types.index("audio") > types.index("agent.audio_start")
    assert types.index("agent.audio_end") > max(i for i, t in enumerate(types) if t == "audio")
    await settle()
    assert h.conversation.heard == [
        {"spoken": "Hello! Let's begin.", "heard": "Hello! Let's begin.", "interrupted": False}
    ]


async def test_spoken_turn_gets_transcript_then_answer_and_metrics() -> None:
    h = Harness(replies=["Tell me about a project you led."], stt=FakeSTT(["I am ready to start."]))
    await h.start()
    await h.until(ended(h))
    await h.play(silence(0.3) + tone(1.0) + silence(0.7))
    await h.until(ended(h, 2))
    vad = [m["event"] for m in h.sink.messages("vad")]
    assert vad == ["speech_start", "speech_end"]
    types = h.sink.types()
    finals = [
        (i, m)
        for i, (t, m) in enumerate(h.sink.items)
        if t == "json" and m["type"] == "transcript" and m["final"]
    ]
    assert len(finals) == 1
    final_at, final = finals[0]
    assert final["text"] == "I am ready to start."
    answer_text = [i for i, t in enumerate(types) if t == "agent.text"][-1]
    assert final_at < answer_text
    metrics = h.sink.first("turn.metrics")
    assert metrics["turn_id"] == final["turn_id"]
    # turn.metrics follows the first audio frame of the answer
    assert types.index("turn.metrics") > types.index("audio", answer_text)
    assert metrics["response_ms"] >= metrics["endpoint_ms"] > 0
    assert h.conversation.turns[0].text == "I am ready to start."
    assert h.conversation.turns[0].audio_s == pytest.approx(1.0, abs=0.2)


async def test_barge_in_stops_audio_at_once_and_keeps_only_what_was_heard() -> None:
    h = Harness(replies=[LONG_REPLY, "Sure, go ahead."], stt=FakeSTT(["ready", "wait, can I ask something"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(1.0))  # the user hears one second of the long answer
    await h.play(tone(0.4))  # ... and talks over it
    interrupted = h.sink.first("interrupted")
    assert h.audio_after("interrupted") == 0
    await h.play(tone(0.6) + silence(0.7))
    await h.until(ended(h, 2))
    assert h.audio_after("interrupted") > 0  # the answer to the new turn
    record = h.conversation.heard[1]
    assert record["interrupted"] is True
    assert record["heard"] == interrupted["heard_text"]
    assert 0 < len(record["heard"].split()) < len(LONG_REPLY.split()) / 2
    assert LONG_REPLY.startswith(record["heard"].split(" ")[0])
    assert h.conversation.turns[-1].text == "wait, can I ask something"


async def test_backchannel_resumes_the_unheard_rest_of_the_reply() -> None:
    h = Harness(replies=[LONG_REPLY], stt=FakeSTT(["ready", "mm-hm"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(1.0))
    await h.play(tone(0.4) + silence(0.6))
    interrupted = h.sink.first("interrupted")
    await h.until(ended(h, 2))
    texts = [m["text"] for m in h.sink.messages("agent.text")]
    resumed = " ".join(texts[-3:])
    assert resumed and not resumed.startswith("That is a great question")
    assert len(h.conversation.turns) == 1  # the backchannel is not a turn for the brain
    record = h.conversation.heard[-1]
    assert record["spoken"] == LONG_REPLY
    assert record["heard"].startswith(interrupted["heard_text"])
    assert len(record["heard"].split()) == len(LONG_REPLY.split())


async def test_typed_text_is_a_turn_and_interrupts_speech() -> None:
    h = Harness(replies=[LONG_REPLY, "Fine."])
    await h.start()
    await h.until(ended(h))
    await h.send(type="text", text="Let's go")
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(0.5))
    await h.send(type="text", text="Stop, next question please")
    assert h.sink.messages("interrupted")
    await h.until(ended(h, 2))
    assert [t.text for t in h.conversation.turns] == ["Let's go", "Stop, next question please"]
    assert h.conversation.turns[0].source == "text"


async def test_session_end_speaks_wrap_up_and_sends_summary() -> None:
    h = Harness()
    await h.start()
    await h.until(ended(h))
    await h.send(type="session.end")
    await h.until(lambda: bool(h.sink.messages("session.ended")))
    done = h.sink.first("session.ended")
    assert done["thread_id"] == "t1" and done["summary"] == {"turns": 0}
    assert h.conversation.closed
    # a new conversation may start on the same connection
    await h.start()
    assert len(h.sink.messages("session.started")) == 2


async def test_stt_failure_is_reported_and_session_goes_on() -> None:
    h = Harness(stt=FakeSTT(fail=True))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.7))
    await h.until(lambda: bool(h.sink.messages("error")))
    err = h.sink.first("error")
    assert err["code"] == "stt_failed" and err["fatal"] is False
    h.stt.fail = False
    await h.play(tone(0.8) + silence(0.7))
    await h.until(ended(h, 2))


async def test_tts_failure_still_shows_the_text() -> None:
    h = Harness(tts=FakeTTS(fail=True))
    await h.start()
    await h.until(lambda: bool(h.sink.messages("error")))
    assert h.sink.first("error")["code"] == "tts_failed"
    await h.until(lambda: len(h.conversation.heard) == 1)
    assert " ".join(m["text"] for m in h.sink.messages("agent.text")) == "Hello! Let's begin."
    assert not h.sink.messages("agent.audio_start")


async def test_resume_carries_history() -> None:
    h = Harness()
    await h.start()
    await h.until(ended(h))
    await settle()
    await h.send(type="session.end")
    await h.until(lambda: bool(h.sink.messages("session.ended")))
    await h.send(type="session.start", workflow="interview", thread_id="t1")
    started = h.sink.messages("session.started")[-1]
    assert started["resumed"] is True
    assert started["history"][0]["text"] == "Hello! Let's begin."


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"text": "no type"}', "bad_field"),
        ('{"type": "session.start"}', "bad_field"),
        ('{"type": "session.start", "workflow": "interview", "sample_rate": 3}', "bad_field"),
        ('{"type": "session.start", "workflow": "interview", "sample_rate": "fast"}', "bad_field"),
        ('{"type": "session.start", "workflow": "interview", "options": []}', "bad_field"),
        ('{"type": "session.start", "workflow": "chess"}', "unknown_workflow"),
        ('{"type": "session.start", "workflow": "interview", "thread_id": "nope"}', "unknown_thread"),
        ('{"type": "text", "text": "hi"}', "not_started"),
        ('{"type": "playback", "utterance_id": "u", "played_ms": 5}', "not_started"),
        ('{"type": "session.end"}', "not_started"),
        ('{"type": "ping"}', "bad_field"),
    ],
)
async def test_bad_text_frames_get_the_protocol_error_and_the_session_lives(frame: str, code: str) -> None:
    h = Harness()
    await h.send_raw(frame)
    err = h.sink.first("error")
    assert (err["code"], err["fatal"]) == (code, False)
    assert h.sink.closed is None
    await h.start()
    assert h.sink.messages("session.started")


async def test_bad_audio_frames() -> None:
    h = Harness()
    await h.session.handle_audio(silence(0.02))
    assert h.sink.messages("error")[-1]["code"] == "bad_audio"  # before session.start
    await h.start()
    await h.session.handle_audio(b"\x01\x02\x03")
    assert h.sink.messages("error")[-1]["code"] == "bad_audio"  # odd length
    await h.session.handle_audio(b"\x00" * (64 * 1024 + 2))
    assert h.sink.messages("error")[-1]["code"] == "bad_audio"  # too large
    await h.send(type="session.start", workflow="interview", thread_id=None)
    assert h.sink.messages("error")[-1]["code"] == "already_started"
    assert h.sink.closed is None


async def test_ping_pong() -> None:
    h = Harness()
    await h.send(type="ping", t=123.5)
    pong = h.sink.first("pong")
    assert pong["t"] == 123.5 and pong["server_t"] > 0


async def test_flood_is_rate_limited_then_closed_with_1008() -> None:
    h = Harness()
    await h.start()
    frame = silence(0.01)
    for _ in range(300):  # 3 s of audio in no time at all
        await h.session.handle_audio(frame)
    codes = {m["code"] for m in h.sink.messages("error")}
    assert "rate_limited" in codes
    assert h.sink.closed is not None and h.sink.closed[0] == 1008


async def test_persistent_garbage_is_closed_with_1008() -> None:
    h = Harness()
    for _ in range(25):
        await h.send_raw("garbage")
    assert h.sink.closed is not None and h.sink.closed[0] == 1008
    assert h.sink.messages("error")[-1]["fatal"] is True


async def test_dropped_connection_mid_reply_keeps_what_was_heard() -> None:
    h = Harness(replies=[LONG_REPLY])
    await h.start()
    await h.until(ended(h))
    await h.send(type="text", text="go on")
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(1.0))
    await h.session.close()
    record = h.conversation.heard[-1]
    assert record["interrupted"] is True
    assert 0 < len(record["heard"].split()) < len(LONG_REPLY.split())
    assert h.conversation.closed


async def test_a_failing_brain_gives_internal_error_and_the_session_goes_on() -> None:
    class Broken:
        def __aiter__(self):
            return self

        async def __anext__(self):
            raise RuntimeError("graph exploded")

    h = Harness(replies=[])
    await h.start()
    await h.until(ended(h))
    h.conversation.reply = lambda turn: Broken()  # type: ignore[method-assign]
    await h.send(type="text", text="hello?")
    await h.until(lambda: bool(h.sink.messages("error")))
    err = h.sink.first("error")
    assert (err["code"], err["fatal"]) == ("internal", False)
    h.conversation.reply = type(h.conversation).reply.__get__(h.conversation)  # type: ignore[method-assign]
    await h.send(type="text", text="hello again")
    await h.until(ended(h, 2))


async def test_metrics_report_pipeline_overhead_apart_from_model_time() -> None:
    h = Harness(replies=["Okay."], stt=FakeSTT(["ready"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.7))
    await h.until(ended(h, 2))
    metrics = h.sink.first("turn.metrics")
    # on the virtual clock the fakes take no time: what remains is endpoint detection granularity
    assert metrics["overhead_ms"] is not None and 0 <= metrics["overhead_ms"] <= 80
    assert metrics["endpoint_ms"] >= 480


async def test_a_live_mic_between_conversations_is_told_but_never_closed() -> None:
    h = Harness()
    await h.start()
    await h.until(ended(h))
    await h.send(type="session.end")
    await h.until(lambda: bool(h.sink.messages("session.ended")))
    await h.play(silence(3.0))  # 150 frames with no conversation
    errors = h.sink.messages("error")
    assert errors and {e["code"] for e in errors} == {"bad_audio"}
    assert len(errors) <= 4  # at most one a second
    assert h.sink.closed is None


async def test_barge_in_on_the_wrap_up_still_ends_the_session() -> None:
    h = Harness()
    await h.start()
    await h.until(ended(h))
    h.conversation.finish = lambda: h.conversation._events(  # type: ignore[method-assign]
        [Finished({"done": True}), Say(LONG_REPLY)]
    )
    await h.send(type="session.end")
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(0.6) + tone(0.4))
    assert h.sink.messages("interrupted")
    done = h.sink.first("session.ended")
    assert done["summary"] == {"done": True}
    assert h.conversation.heard[-1]["interrupted"] is True


async def test_a_pause_mid_thought_makes_one_turn_transcribed_as_a_whole() -> None:
    h = Harness(replies=["Go on."], stt=FakeSTT(["ready", "I think that", "I think that we should ship it."]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.7))
    await h.until(ended(h, 2))
    await h.play(tone(1.0) + silence(0.7) + tone(1.2) + silence(0.8))
    await h.until(lambda: len(h.conversation.turns) == 2)
    finals = [m["text"] for m in h.sink.messages("transcript") if m["final"]]
    assert finals[-1] == "I think that we should ship it."
    turn = h.conversation.turns[-1]
    assert turn.text == "I think that we should ship it."
    assert turn.pauses_s and turn.pauses_s[0] >= 0.5  # the pause is part of the turn's fluency data
    # Whisper hears both parts together, so the second keeps the first as context
    assert h.stt.calls[-1] > 2.0
    metrics = [m for m in h.sink.messages("turn.metrics") if m["turn_id"] == turn.turn_id]
    assert metrics and metrics[0]["grace_ms"] == 0
    # ...and that decode started speculatively at the second part's first silence
    assert metrics[0]["speculative_stt"] is True


async def test_turn_metrics_are_kept_with_the_conversation() -> None:
    h = Harness(replies=["Okay."], stt=FakeSTT(["ready"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.7))
    await h.until(ended(h, 2))
    sent = h.sink.first("turn.metrics")
    kept = h.conversation.metrics[sent["turn_id"]]
    assert kept["response_ms"] == sent["response_ms"] and "type" not in kept


async def test_keypad_digits_are_a_turn_that_interrupts_the_agent() -> None:
    h = Harness(replies=[LONG_REPLY, "Thanks."])
    await h.start()
    await h.until(ended(h))
    await h.send(type="text", text="go on")
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(0.5))
    await h.session.handle(Keypad("1"))
    assert h.sink.messages("interrupted")
    assert h.sink.messages("transcript")[-1] == {
        "type": "transcript",
        "text": "1",
        "final": True,
        "turn_id": h.conversation.turns[-1].turn_id,
    }
    assert h.conversation.turns[-1].source == "dtmf"


async def test_barge_in_flushes_the_transport_before_interrupted() -> None:
    h = Harness(replies=[LONG_REPLY], stt=FakeSTT(["ready", "stop please"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(1.0) + tone(0.4))
    types = h.sink.types()
    assert types.index("flush") == types.index("interrupted") - 1


async def test_heard_text_is_reported_per_message() -> None:
    two_messages = [Say("That is fine.", message_id="a"), Say(LONG_REPLY, message_id="b")]
    h = Harness(replies=[two_messages], stt=FakeSTT(["ready", "hold on, a question"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    await h.play(silence(1.5) + tone(0.6) + silence(0.7))
    await h.until(lambda: len(h.conversation.heard_messages) >= 2)
    first, second = h.conversation.heard_messages[1]
    assert (first.message_id, first.spoken, first.heard) == ("a", "That is fine.", "That is fine.")
    assert second.message_id == "b" and second.spoken == LONG_REPLY
    assert second.heard and LONG_REPLY.startswith(second.heard) and second.heard != LONG_REPLY


async def test_a_playback_report_takes_precedence_over_the_estimate() -> None:
    h = Harness(replies=[LONG_REPLY], stt=FakeSTT(["ready", "stop please"]))
    await h.start()
    await h.until(ended(h))
    await h.play(tone(0.8) + silence(0.6))
    start = await _second_audio_start(h)
    h.sink.played[start["utterance_id"]] = 0.0  # the caller has not played a thing yet
    await h.play(silence(1.0) + tone(0.4))
    assert h.sink.first("interrupted")["heard_text"] == ""


async def _second_audio_start(h: Harness) -> dict:
    await h.until(lambda: len(h.sink.messages("agent.audio_start")) >= 2)
    return h.sink.messages("agent.audio_start")[1]


@pytest.mark.parametrize("word_timing", [True, False])
async def test_a_turn_is_transcribed_with_word_timings_only_if_the_workflow_uses_them(word_timing) -> None:
    stt = FakeSTT(["I am ready to start."])
    h = Harness(word_timing=word_timing, replies=["Okay."], stt=stt)
    await h.start()
    await h.until(ended(h))
    await h.play(silence(0.3) + tone(1.0) + silence(0.7))
    await h.until(ended(h, 2))
    assert h.conversation.turns[0].text == "I am ready to start."
    assert stt.timed and set(stt.timed) == {word_timing}
