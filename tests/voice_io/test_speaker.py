"""One reply spoken on a transport: order, one TTS unit per Say, failures, metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from tests.fakes import FakeTTS, RecordingTransport, VirtualClock, settle
from voice_io.errors import LLMError
from voice_io.events import StateEvent
from voice_io.metrics import TurnTimer
from voice_io.protocols import Finished, Notify, ReplyEvent, Say
from voice_io.speaker import Speaker


async def events(items: Sequence[ReplyEvent], fail: Exception | None = None) -> AsyncIterator[ReplyEvent]:
    for item in items:
        await asyncio.sleep(0)
        yield item
    if fail is not None:
        raise fail


class Run:
    def __init__(self, tts: FakeTTS | None = None, timer: TurnTimer | None = None) -> None:
        self.clock = VirtualClock()
        self.transport = RecordingTransport()
        self.errors: list[Exception] = []
        self.metrics: list[dict[str, object]] = []
        self.tts = tts or FakeTTS()

        async def on_error(exc: Exception) -> None:
            self.errors.append(exc)

        self.speaker = Speaker(
            transport=self.transport,
            tts=self.tts,
            turn_id="t1",
            timer=timer,
            on_error=on_error,
            on_metrics=self.metrics.append,
            clock=self.clock,
            sleep=self.clock.sleep,
        )

    async def speak(self, items: Sequence[ReplyEvent], fail: Exception | None = None):
        task = asyncio.create_task(self.speaker.run(events(items, fail)))
        while not task.done():
            await self.clock.advance(0.02)
        return task.result()


async def test_each_say_is_one_sentence_spoken_in_order() -> None:
    run = Run()
    # "Dr. Smith" and "3.5" would tempt a second splitter: the brain's sentences are final
    says = [Say("Dr. Smith will see you.", "m1"), Say("It costs 3.5 dollars, or so.", "m1")]
    utt = await run.speak(says)
    assert run.tts.spoken == ["Dr. Smith will see you.", "It costs 3.5 dollars, or so."]
    types = run.transport.types()
    assert types[0] == "agent.text" and types[1] == "agent.audio_start"
    assert types.count("agent.text") == 2 and types[-1] == "agent.audio_end"
    second_text = [i for i, t in enumerate(types) if t == "agent.text"][1]
    assert "audio" in types[:second_text] and "audio" in types[second_text:]
    assert [s.message_id for s in utt.said] == ["m1", "m1"] and utt.audio_ended


async def test_notices_pass_through_and_finished_is_kept() -> None:
    run = Run()
    state = StateEvent(node="ask", phase="asking", fields={"question_index": 1})
    utt = await run.speak([Notify(state), Say("Bye."), Finished({"done": True})])
    assert run.transport.messages("state") == [
        {"type": "state", "question_index": 1, "node": "ask", "phase": "asking"}
    ]
    assert utt.finished == Finished({"done": True})


async def test_a_failing_tts_still_shows_every_sentence() -> None:
    run = Run(tts=FakeTTS(fail=True))
    await run.speak([Say("One."), Say("Two.")])
    assert [m["text"] for m in run.transport.messages("agent.text")] == ["One.", "Two."]
    assert not run.transport.messages("agent.audio_start")
    assert len(run.errors) == 1  # said once, not per sentence


async def test_a_failing_brain_is_reported_and_what_was_said_is_spoken() -> None:
    run = Run()
    utt = await run.speak([Say("Let me see.")], fail=LLMError("model down"))
    assert isinstance(run.errors[0], LLMError)
    assert run.tts.spoken == ["Let me see."] and utt.audio_ended


async def test_turn_metrics_follow_the_first_frame_and_are_handed_on() -> None:
    timer = TurnTimer(turn_id="t1", speech_end=0.0, accepted=0.0)
    timer.transcript = 0.0
    run = Run(timer=timer)
    await run.speak([Say("Hello there.")])
    types = run.transport.types()
    assert types.index("turn.metrics") == types.index("audio") + 1
    assert run.metrics == run.transport.messages("turn.metrics")


async def test_cancelling_the_reply_stops_all_output() -> None:
    run = Run()
    task = asyncio.create_task(run.speaker.run(events([Say("word " * 40 + "end.")])))
    await run.clock.advance(0.5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    sent = len(run.transport.items)
    await run.clock.advance(5.0)
    await settle()
    assert len(run.transport.items) == sent and "agent.audio_end" not in run.transport.types()
