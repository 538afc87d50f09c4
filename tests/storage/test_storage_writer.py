"""`BackgroundWriter` against a real SQLite file that becomes locked, or disappears, and comes back."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint

from storage import (
    BackgroundWriter,
    Database,
    IntegrityViolation,
    WriteFailure,
    add_turn,
    create_session,
    get_session,
    list_turns,
    open_checkpointer,
)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database.connect(f"sqlite:///{tmp_path / 'app.db'}", busy_timeout_s=0.05)
    db.upgrade()
    for thread_id in ("a", "b"):
        create_session(db=db, thread_id=thread_id, workflow="interview", options={})
    yield db
    db.dispose()


def texts(db: Database, thread_id: str) -> list[str]:
    return [t["text"] for t in list_turns(db=db, thread_id=thread_id)]


async def test_writes_keep_their_order_per_thread(sqlite_db: Database) -> None:
    writer = BackgroundWriter(db=sqlite_db)
    for n in range(30):
        for thread_id in ("a", "b"):
            writer.submit(add_turn, thread_id=thread_id, turn_id=f"u{n}", role="user", text=f"{thread_id}{n}")
    assert writer.pending > 0
    await writer.aclose()
    assert writer.pending == 0
    assert texts(sqlite_db, "a") == [f"a{n}" for n in range(30)]
    assert texts(sqlite_db, "b") == [f"b{n}" for n in range(30)]
    with pytest.raises(RuntimeError):
        writer.submit(add_turn, thread_id="a", turn_id="late", role="user", text="late")


async def test_a_locked_database_is_retried_until_it_is_free(
    sqlite_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[WriteFailure] = []
    writer = BackgroundWriter(db=sqlite_db, on_failure=failures.append, attempts=8, backoff_s=0.05)
    blocker = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    caplog.set_level(logging.WARNING, logger="storage.writer")

    started = time.perf_counter()
    writer.submit(add_turn, thread_id="a", turn_id="u1", role="user", text="one")
    writer.submit(add_turn, thread_id="a", turn_id="u1", role="agent", text="two")
    assert time.perf_counter() - started < 0.05  # the caller is never held up

    await asyncio.sleep(0.3)
    assert texts(sqlite_db, "a") == []  # WAL: readers still read while the writer waits
    assert writer.pending == 2
    blocker.execute("ROLLBACK")
    blocker.close()
    await writer.drain()
    assert failures == []
    assert texts(sqlite_db, "a") == ["one", "two"]
    assert any("retrying" in r.getMessage() for r in caplog.records)


async def test_a_database_that_is_gone_reports_failures_and_recovers(
    sqlite_db: Database, tmp_path: Path
) -> None:
    failures: list[WriteFailure] = []
    writer = BackgroundWriter(db=sqlite_db, on_failure=failures.append, attempts=3, backoff_s=0.01)
    path = tmp_path / "app.db"
    sqlite_db.engine.dispose()
    aside = tmp_path / "aside"
    aside.mkdir()
    for file in list(tmp_path.glob("app.db*")):  # noqa: ASYNC240 - test setup
        shutil.move(file, aside / file.name)
    path.mkdir()  # the database path now cannot be opened

    writer.submit(add_turn, thread_id="a", turn_id="u1", role="user", text="lost")
    await writer.drain()
    assert len(failures) == 1
    failure = failures[0]
    assert (failure.function, failure.thread_id, failure.attempts) == ("add_turn", "a", 3)
    assert failure.kwargs["text"] == "lost"
    assert failure.error.recoverable is True  # type: ignore[attr-defined]
    assert writer.failures == 1

    path.rmdir()
    for file in list(aside.iterdir()):
        shutil.move(file, tmp_path / file.name)
    writer.submit(add_turn, thread_id="a", turn_id="u2", role="user", text="kept")
    await writer.aclose()
    assert len(failures) == 1
    assert texts(sqlite_db, "a") == ["kept"]


async def test_a_write_that_can_never_succeed_is_not_retried(sqlite_db: Database) -> None:
    failures: list[WriteFailure] = []

    async def on_failure(failure: WriteFailure) -> None:  # async callbacks are awaited
        failures.append(failure)

    writer = BackgroundWriter(db=sqlite_db, on_failure=on_failure, attempts=5, backoff_s=1.0)
    started = time.perf_counter()
    writer.submit(add_turn, thread_id="ghost", turn_id="u1", role="user", text="x")
    writer.submit(add_turn, thread_id="ghost", turn_id="u1", role="bad-role", text="x")
    await writer.drain()
    assert time.perf_counter() - started < 1.0  # no backoff sleeps
    assert [type(f.error) for f in failures] == [IntegrityViolation, ValueError]
    assert [f.attempts for f in failures] == [1, 1]


async def test_call_waits_for_the_result_after_earlier_writes(sqlite_db: Database) -> None:
    writer = BackgroundWriter(db=sqlite_db)
    writer.submit(add_turn, thread_id="a", turn_id="u1", role="user", text="first")
    turns = await writer.call(list_turns, thread_id="a")  # ordered after the write
    assert [t["text"] for t in turns] == ["first"]
    assert (await writer.call(get_session, thread_id="a"))["thread_id"] == "a"
    with pytest.raises(IntegrityViolation):
        await writer.call(add_turn, thread_id="ghost", turn_id="u1", role="user", text="x")
    await writer.aclose()


@pytest.mark.postgres
async def test_postgres_connections_dropped_mid_session(
    postgres_url: str, drop_connections: Callable[[str], int]
) -> None:
    db = Database.connect(postgres_url)
    await asyncio.to_thread(db.upgrade)
    await asyncio.to_thread(create_session, db=db, thread_id="a", workflow="interview", options={})
    failures: list[WriteFailure] = []
    writer = BackgroundWriter(db=db, on_failure=failures.append, attempts=3, backoff_s=0.05)
    try:
        async with open_checkpointer(postgres_url) as saver:
            config: Any = {"configurable": {"thread_id": "a", "checkpoint_ns": ""}}
            await saver.aput(config, empty_checkpoint(), {"source": "input", "step": -1, "parents": {}}, {})
            writer.submit(add_turn, thread_id="a", turn_id="u1", role="user", text="before")
            await writer.drain()

            assert await asyncio.to_thread(drop_connections, postgres_url) >= 2  # app pool + checkpoint pool

            writer.submit(add_turn, thread_id="a", turn_id="u2", role="user", text="after")
            await saver.aput(config, empty_checkpoint(), {"source": "input", "step": 0, "parents": {}}, {})
            await writer.aclose()
            assert failures == []
            assert await asyncio.to_thread(texts, db, "a") == ["before", "after"]
            assert len([c async for c in saver.alist(config)]) == 2
    finally:
        db.dispose()
