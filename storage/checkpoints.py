"""LangGraph checkpoints: open the saver for a database URL, list a thread's history, delete.

Fork: `storage.fork`.

SQLite app data at `.../voice_agent.db` keeps checkpoints in `.../voice_agent.checkpoints.db`
(its own file: the saver holds one aiosqlite connection and writes from the event loop, the app
data is written from worker threads). PostgreSQL keeps both in the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from storage.database import Database, normalize_url
from storage.database_paths import sqlite_file
from storage.errors import DatabaseUnavailable
from storage.sessions import delete_session

log = logging.getLogger(__name__)

BRANCH_PREFIX = "branch:to:"  # LangGraph's trigger channel of a scheduled node
START_CHANNEL = "__start__"  # holds the input until the start node runs
_PG_SETUP_LOCK_KEY = 0x766F6964  # any constant shared by every process of this app


def checkpoint_location(url: str) -> str:
    """Where `open_checkpointer(url)` keeps checkpoints: a SQLite file path or a libpq URL."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        db_file = sqlite_file(parsed)
        if db_file is None:
            return ":memory:"
        return str(db_file.with_name(f"{db_file.stem}.checkpoints{db_file.suffix or '.db'}"))
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    raise ValueError(f"no checkpointer for {parsed.get_backend_name()} databases")


@contextlib.asynccontextmanager
async def open_checkpointer(
    url: str, *, connect_timeout_s: float = 3.0, max_connections: int = 10
) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """An `AsyncSqliteSaver` or `AsyncPostgresSaver` (pooled), set up and ready to use."""
    location = checkpoint_location(url)
    if not location.startswith("postgresql"):
        if location != ":memory:":
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        try:
            # probe first: aiosqlite's own failure path leaves a worker thread behind
            await asyncio.to_thread(_probe_sqlite, location)
            conn = await aiosqlite.connect(location, timeout=5.0)
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"cannot open the checkpoint database {location}: {error}") from error
        try:
            sqlite_saver = AsyncSqliteSaver(conn)
            await sqlite_saver.setup()  # switches to WAL
            await conn.execute("PRAGMA synchronous=NORMAL")
            yield sqlite_saver
        finally:
            await conn.close()
        return
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        location,
        min_size=1,
        max_size=max(2, max_connections),
        open=False,
        timeout=max(connect_timeout_s, 5.0),
        check=AsyncConnectionPool.check_connection,  # a server restart leaves no dead connections
        kwargs={
            "autocommit": True,
            "prepare_threshold": 0,
            "row_factory": dict_row,
            "connect_timeout": max(1, round(connect_timeout_s)),
        },
    )
    try:
        await pool.open(wait=True, timeout=connect_timeout_s + 1.0)
    except PoolTimeout as error:
        await pool.close()
        raise DatabaseUnavailable(f"cannot reach the checkpoint database: {error}") from error
    try:
        pg_saver = AsyncPostgresSaver(pool)
        async with pool.connection() as lock:  # two processes starting at once: one sets up
            await _advisory_lock(lock)
            try:
                await pg_saver.setup()
            finally:
                await lock.execute("SELECT pg_advisory_unlock(%s)", (_PG_SETUP_LOCK_KEY,))
        yield pg_saver
    finally:
        await pool.close()


def _probe_sqlite(location: str) -> None:
    sqlite3.connect(location, timeout=5.0).close()


async def _advisory_lock(conn: Any, timeout_s: float = 120.0) -> None:
    """Poll `pg_try_advisory_lock`: a blocked `pg_advisory_lock` would hold a snapshot that the
    saver's `CREATE INDEX CONCURRENTLY` in the other process waits for (a deadlock Postgres
    does not detect)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        row = await (
            await conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (_PG_SETUP_LOCK_KEY,))
        ).fetchone()
        if row["ok"]:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise DatabaseUnavailable("timed out waiting for another process to set up the checkpoint tables")
        await asyncio.sleep(0.1)


def _config(thread_id: str, checkpoint_id: str | None = None) -> RunnableConfig:
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": ""}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _nodes_run(item: CheckpointTuple, parent: CheckpointTuple | None) -> list[str]:
    """Nodes whose step produced this checkpoint: those that saw new channel versions."""
    seen = item.checkpoint.get("versions_seen", {})
    before = parent.checkpoint.get("versions_seen", {}) if parent else {}
    return sorted(n for n, versions in seen.items() if n != "__input__" and versions != before.get(n))


def _summary(item: CheckpointTuple, parent: CheckpointTuple | None) -> dict[str, Any]:
    metadata = item.metadata or {}
    nodes = _nodes_run(item, parent) if metadata.get("source") == "loop" else []
    values = item.checkpoint.get("channel_values", {})
    return {
        "checkpoint_id": item.checkpoint["id"],
        "parent_checkpoint_id": (item.parent_config or {}).get("configurable", {}).get("checkpoint_id"),
        "step": metadata.get("step"),
        "source": metadata.get("source"),
        "node": ", ".join(nodes) or None,
        "next": sorted(
            k[len(BRANCH_PREFIX) :] if k.startswith(BRANCH_PREFIX) else k
            for k in values
            if k.startswith(BRANCH_PREFIX) or k == START_CHANNEL
        ),
        "created_at": item.checkpoint.get("ts"),
    }


async def list_checkpoints(*, checkpointer: BaseCheckpointSaver[Any], thread_id: str) -> list[dict[str, Any]]:
    """The thread's checkpoints, oldest first: `{checkpoint_id, parent_checkpoint_id, step,
    source ("input" | "loop" | "update" | "fork"), node (what ran to produce it, or None),
    next (nodes scheduled to run from it), created_at}`."""
    items = [item async for item in checkpointer.alist(_config(thread_id))]
    by_id = {item.checkpoint["id"]: item for item in items}
    out = []
    for item in reversed(items):
        parent_id = (item.parent_config or {}).get("configurable", {}).get("checkpoint_id")
        out.append(_summary(item, by_id.get(parent_id) if parent_id else None))
    return out


async def delete_thread(*, db: Database, checkpointer: BaseCheckpointSaver[Any], thread_id: str) -> bool:
    """Delete the session's rows and all its checkpoints; False when neither existed."""
    had_checkpoints = await checkpointer.aget_tuple(_config(thread_id)) is not None
    had_rows = await asyncio.to_thread(delete_session, db=db, thread_id=thread_id)
    await checkpointer.adelete_thread(thread_id)
    return had_rows or had_checkpoints
