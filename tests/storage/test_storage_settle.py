"""Agent turns written when the utterance starts, completed when it ends, settled after a crash
(both backends)."""

from __future__ import annotations

import storage
from storage import Database


def shape(db: Database, thread_id: str = "t") -> list[tuple[str, str, str, str | None, bool, bool]]:
    return [
        (t["turn_id"], t["role"], t["text"], t["heard_text"], t["interrupted"], t["in_progress"])
        for t in storage.list_turns(db=db, thread_id=thread_id)
    ]


def test_the_agent_row_exists_from_the_start_and_is_completed(db: Database) -> None:
    storage.create_session(db=db, thread_id="t", workflow="interview", options={})
    storage.add_turn(db=db, thread_id="t", turn_id="u1", role="user", text="hi")
    storage.speak_turn(db=db, thread_id="t", turn_id="u1", said={"m1": ["Hello there."]})
    assert shape(db)[-1] == ("u1", "agent", "Hello there.", None, False, True)
    storage.speak_turn(db=db, thread_id="t", turn_id="u1", said={"m1": ["Hello there.", "How are you?"]})
    storage.add_turn(db=db, thread_id="t", turn_id="u2", role="user", text="fine")  # a barge-in
    storage.add_turn(
        db=db,
        thread_id="t",
        turn_id="u1",
        role="agent",
        text="Hello there. How are you?",
        heard_text="Hello there.",
        interrupted=True,
    )
    assert shape(db) == [
        ("u1", "user", "hi", None, False, False),
        ("u1", "agent", "Hello there. How are you?", "Hello there.", True, False),  # one row, in place
        ("u2", "user", "fine", None, False, False),
    ]


def test_settle_after_a_crash_follows_the_checkpoint(db: Database) -> None:
    storage.create_session(db=db, thread_id="t", workflow="interview", options={})
    storage.speak_turn(db=db, thread_id="t", turn_id="opening", said={"m0": ["Welcome."]})
    storage.add_turn(
        db=db, thread_id="t", turn_id="opening", role="agent", text="Welcome.", heard_text="Welcome."
    )
    storage.add_turn(db=db, thread_id="t", turn_id="u1", role="user", text="first")
    storage.speak_turn(db=db, thread_id="t", turn_id="u1", said={"m1": ["Good.", "Next question?"]})
    storage.add_turn(db=db, thread_id="t", turn_id="u2", role="user", text="never checkpointed")
    storage.add_evaluation(db=db, thread_id="t", turn_id="u2", payload={"score": 3})
    # the checkpoint holds u1 and a turn u0 whose row the crash lost
    cut = storage.settle_thread(db=db, thread_id="t", user_turns=[("u0", "zero"), ("u1", "first")])
    assert cut == [
        {"turn_id": "u1", "text": "Good. Next question?", "said": {"m1": ["Good.", "Next question?"]}}
    ]
    assert shape(db) == [
        ("opening", "agent", "Welcome.", "Welcome.", False, False),
        ("u1", "user", "first", None, False, False),
        ("u1", "agent", "Good. Next question?", "Good. Next question?", True, False),  # cut off
        ("u0", "user", "zero", None, False, False),
    ]
    assert storage.list_evaluations(db=db, thread_id="t") == []
    assert storage.settle_thread(db=db, thread_id="t", user_turns=[("u0", "zero"), ("u1", "first")]) == []
    # the old connection was still closing (a quick reconnect): its account of what was heard wins
    storage.add_turn(
        db=db, thread_id="t", turn_id="u1", role="agent", text="Good. Next question?", heard_text="Good.",
        interrupted=True,
    )  # fmt: skip
    assert shape(db)[2] == ("u1", "agent", "Good. Next question?", "Good.", True, False)
    assert len(shape(db)) == 4
