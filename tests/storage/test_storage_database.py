"""`Database.connect` / `upgrade()`: SQLite setup, migrations equal to the models, concurrent
start-up, and a database that is down."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from storage import Database, DatabaseUnavailable, create_session, get_session, open_checkpointer
from storage.database import normalize_url
from storage.migrate import current_revision, head_revision
from storage.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_normalize_url() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


def test_sqlite_creates_dirs_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "app.db"
    db = Database.connect(f"sqlite:///{path}", busy_timeout_s=2.5)
    db.upgrade()
    assert path.is_file()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 2500
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    db.dispose()


def test_upgrade_is_idempotent_and_matches_the_models(db: Database) -> None:
    head = head_revision()
    assert head is not None
    assert current_revision(db.engine) == head
    db.upgrade()  # second run: nothing to do, data kept
    create_session(db=db, thread_id="t", workflow="w", options={})
    db.upgrade()
    assert get_session(db=db, thread_id="t") is not None
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"sessions", "turns", "turn_metrics", "evaluations", "tool_calls", "reports"} <= tables


UPGRADE_SCRIPT = """
import asyncio, sys
from storage import Database, open_checkpointer
print("ready", flush=True)
sys.stdin.readline()  # all processes start together

Database.connect(sys.argv[1]).upgrade()

async def checkpoints():
    async with open_checkpointer(sys.argv[1]):
        pass

asyncio.run(checkpoints())
print("ok")
"""


def test_two_processes_upgrading_at_once(database_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE_SCRIPT, database_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    db = Database.connect(database_url)
    assert current_revision(db.engine) == head_revision()
    db.dispose()


@pytest.mark.parametrize(
    "url", ["postgresql://postgres@127.0.0.1:1/nowhere", "postgresql://u@10.255.255.1:5432/x"]
)
def test_unreachable_postgres_fails_fast_and_clearly(url: str) -> None:
    db = Database.connect(url, connect_timeout_s=2)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as caught:
        db.upgrade()
    assert time.monotonic() - started < 10
    assert "cannot reach the database" in str(caught.value)
    assert caught.value.recoverable is True


async def test_unreachable_postgres_checkpointer_fails_fast() -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable):
        async with open_checkpointer("postgresql://postgres@127.0.0.1:1/nowhere", connect_timeout_s=1):
            pass
    assert time.monotonic() - started < 10


async def test_in_memory_sqlite_is_one_database_for_all_threads() -> None:
    db = Database.connect("sqlite://")
    await asyncio.to_thread(db.upgrade)
    await asyncio.to_thread(create_session, db=db, thread_id="t", workflow="w", options={})
    assert await asyncio.to_thread(get_session, db=db, thread_id="t") is not None
    db.dispose()


def test_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "app.db").mkdir()  # a directory where the file should be
    db = Database.connect(f"sqlite:///{tmp_path / 'app.db'}")
    with pytest.raises(DatabaseUnavailable):
        db.upgrade()


async def test_sqlite_checkpoint_file_that_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "app.checkpoints.db").mkdir()
    with pytest.raises(DatabaseUnavailable):
        async with open_checkpointer(f"sqlite:///{tmp_path / 'app.db'}"):
            pass
