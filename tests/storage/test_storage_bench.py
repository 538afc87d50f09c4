"""bench/storage_cost.py measures real writes and leaves nothing behind."""

from __future__ import annotations

import asyncio

from bench.storage_cost import format_table, measure
from storage import Database, list_sessions, open_checkpointer


async def _checkpoint_count(url: str) -> int:
    async with open_checkpointer(url) as saver:
        return len([c async for c in saver.alist(None)])


def test_measure(database_url: str) -> None:
    result = measure(database_url, turns=4)
    assert result["turns"] == 4
    assert result["database"] in ("sqlite", "postgresql")
    for part in ("checkpoint", "app_data", "total"):
        stats = result[part]
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    assert result["total"]["p50_ms"] >= result["checkpoint"]["p50_ms"]
    table = format_table({"sqlite": result})
    assert "checkpoint" in table and "app_data" in table

    db = Database.connect(database_url)
    assert list_sessions(db=db) == []  # the bench's thread is deleted
    db.dispose()
    assert asyncio.run(_checkpoint_count(database_url)) == 0
