"""GraphResponder against a real SQLite database and the SQLite checkpointer (as the app runs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

import storage
from graph.workflows.interview.bank import question_dicts
from storage import Database
from tests.fakes import ready_turn, start_interview
from tests.graph.conftest import GOOD, collect, finished, notices, spoken, turn
from voice_io.errors import UnknownThread
from voice_io.protocols import Say, Word


@pytest.fixture
def db(tmp_path: Path):
    database = Database.connect(f"sqlite:///{tmp_path / 'app.db'}")
    database.upgrade()
    storage.replace_questions(db=database, questions=question_dicts())
    yield database
    database.dispose()


async def test_interview_writes_app_data_and_resumes(db, tmp_path: Path, make_responder) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    async with storage.open_checkpointer(url) as saver:
        writer = storage.BackgroundWriter(db=db)
        responder = make_responder(checkpointer=saver, recorder=storage.StorageRecorder(db=db, writer=writer))
        conversation = await responder.open(
            workflow="interview",
            thread_id=None,
            options={"role": "data scientist", "questions": 2, "user": "ada"},
            owner="owner-1",
        )
        session = storage.get_session(db=db, thread_id=conversation.thread_id)
        assert session["workflow"] == "interview" and session["learner"] == "ada"
        assert session["options"]["role"] == "data scientist"
        opening = await collect(conversation.opening())
        await conversation.record_heard(spoken="x", heard="x", interrupted=False)
        await collect(conversation.reply(ready_turn()))  # "I'm ready.": question 1
        await conversation.record_heard(spoken="y", heard="y", interrupted=False)
        assert conversation.values["asked_ids"] == [
            "ds-ab-test"
        ]  # from the database (id order), not file order
        words = tuple(Word(w, 0.4 * i, 0.4 * i + 0.3) for i, w in enumerate(GOOD.split()))
        answer = turn(GOOD, source="voice", words=words, audio_s=14.0, response_delay_s=0.8)
        await collect(conversation.reply(answer))
        await conversation.record_heard(spoken="Thanks.", heard="Thanks.", interrupted=False)
        conversation.record_metrics(turn_id=answer.turn_id, metrics={"voice_to_voice_ms": 912})
        await conversation.close()

        turns = storage.list_turns(db=db, thread_id=conversation.thread_id)
        assert [t["role"] for t in turns] == ["agent", "user", "agent", "user", "agent"]
        assert turns[1]["text"] == "I'm ready." and turns[1]["fluency"] is None  # typed
        user = turns[3]
        assert user["text"] == GOOD and user["fluency"]["word_count"] > 20 and user["fluency"]["wpm"] > 0
        assert user["metrics"]["voice_to_voice_ms"] == 912 and turns[4]["metrics"] == user["metrics"]
        # the reply's sentences by who wrote them (the rules brain: templates only)
        assert user["metrics"]["model_sentences"] == 0 and user["metrics"]["template_sentences"] >= 1
        evaluations = storage.list_evaluations(db=db, thread_id=conversation.thread_id)
        assert evaluations[0]["payload"]["metrics"]["wpm"] == user["fluency"]["wpm"]
        calls = storage.list_tool_calls(db=db, thread_id=conversation.thread_id)
        # the readiness turn's act, the answer's act, then the score
        assert [c["name"] for c in calls] == ["classify_turn", "classify_turn", "score_answer"]
        assert calls[0]["result"]["kind"] == "smalltalk" and calls[0]["result"]["detail"] == "ready"
        assert calls[1]["result"]["kind"] == "answer" and calls[2]["status"] == "end"
        assert opening  # spoken

        # resume from the database + checkpoint, then finish: report saved, session ended
        again = await responder.open(workflow="interview", thread_id=conversation.thread_id, options={})
        assert again.resumed and again.options["user"] == "ada"
        events = await collect(again.finish())
        await again.close()
        report = storage.get_report(db=db, thread_id=conversation.thread_id)
        assert report == finished(events).summary and report["answered"] == 1
        # the stored report says who wrote what was said, the sentences before the resume included
        assert report["spoken_by"]["model"] == 0 and report["spoken_by"]["template"] > len(
            [e for e in events if isinstance(e, Say)]
        )
        assert storage.get_session(db=db, thread_id=conversation.thread_id)["status"] == "ended"
        await writer.aclose()

        with pytest.raises(UnknownThread):
            await responder.open(workflow="interview", thread_id="no-such-thread", options={})
        with pytest.raises(UnknownThread, match="belongs to workflow 'interview'"):
            await responder.open(workflow="english", thread_id=conversation.thread_id, options={})


async def test_own_writer_when_the_app_gives_none(db, make_responder) -> None:
    responder = make_responder(recorder=storage.StorageRecorder(db=db))
    conversation = await responder.open(workflow="english", thread_id=None, options={})
    await collect(conversation.opening())
    await collect(conversation.reply(turn("I went to the market and bought some fresh bread.")))
    await conversation.close()
    turns = storage.list_turns(db=db, thread_id=conversation.thread_id)
    # agent rows exist from the start of each utterance, in progress until record_heard completes them
    assert [(t["role"], t["in_progress"]) for t in turns] == [
        ("agent", True),
        ("user", False),
        ("agent", True),
    ]
    assert storage.list_evaluations(db=db, thread_id=conversation.thread_id)


async def test_second_session_greets_with_earlier_progress(db, make_responder) -> None:
    responder = make_responder(recorder=storage.StorageRecorder(db=db))
    options = {"questions": 1, "follow_ups": 0, "user": "grace"}
    first = await responder.open(workflow="interview", thread_id=None, options=options)
    await start_interview(first)
    (evaluation,) = notices(await collect(first.reply(turn(GOOD))), "evaluation")
    await first.close()
    second = await responder.open(workflow="interview", thread_id=None, options=options)
    text = spoken(await collect(second.opening()))
    assert f"Last time your average was {evaluation['score']:.1f} out of 10." in text
    anonymous = await responder.open(workflow="interview", thread_id=None, options={"questions": 1})
    assert "Last time" not in spoken(await collect(anonymous.opening()))
    await second.close()
    await anonymous.close()
