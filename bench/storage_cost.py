"""What storing a turn costs: a checkpoint write (a real graph step through the saver) and the
app-data writes of a turn (2 x add_turn, set_turn_metrics, add_evaluation), SQLite vs PostgreSQL.

    python -m bench.storage_cost [--turns N] [--postgres URL | --no-postgres] [--json]

SQLite runs on a fresh file in a temporary folder. PostgreSQL runs in a scratch database created
on the server at `--postgres` (default $VOICE_AGENT_BENCH_POSTGRES or the local server) and
dropped afterwards. `measure(url, turns=N)` times any database URL (and removes its thread).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import psycopg
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from sqlalchemy import make_url

import storage
from bench.stats import percentile

DEFAULT_POSTGRES = os.environ.get(
    "VOICE_AGENT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
WARMUP_TURNS = 3
ANSWER = "That is a fair point. Could you walk me through how you would test it, step by step? " * 2


class BenchState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    turn: int


async def reply(state: BenchState) -> dict[str, Any]:
    return {"messages": [AIMessage(ANSWER)], "turn": state.get("turn", 0) + 1}


_builder = StateGraph(BenchState)
_builder.add_node("reply", reply)
_builder.add_edge(START, "reply")
_builder.add_edge("reply", END)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 3),
        "p95_ms": round(percentile(values, 95), 3),
        "max_ms": round(max(values), 3),
    }


def _app_writes(db: storage.Database, thread_id: str, turn: int) -> None:
    turn_id = f"u{turn}"
    storage.add_turn(db=db, thread_id=thread_id, turn_id=turn_id, role="user", text="I would mock the clock.")
    storage.add_turn(
        db=db,
        thread_id=thread_id,
        turn_id=turn_id,
        role="agent",
        text=ANSWER,
        heard_text=ANSWER[:40],
        interrupted=True,
    )
    storage.set_turn_metrics(
        db=db,
        thread_id=thread_id,
        turn_id=turn_id,
        metrics={"endpoint_ms": 480, "stt_ms": 95, "llm_first_token_ms": 210, "tts_first_audio_ms": 120},
    )
    storage.add_evaluation(
        db=db,
        thread_id=thread_id,
        turn_id=turn_id,
        payload={"question_index": turn, "score": 7, "criteria": {"structure": 6, "depth": 8}},
    )


async def _measure(url: str, turns: int) -> dict[str, Any]:
    db = storage.Database.connect(url)
    await asyncio.to_thread(db.upgrade)
    thread_id = f"bench-{secrets.token_urlsafe(8)}"
    await asyncio.to_thread(storage.create_session, db=db, thread_id=thread_id, workflow="bench", options={})
    checkpoint_ms: list[float] = []
    app_ms: list[float] = []
    try:
        async with storage.open_checkpointer(url) as saver:
            graph = _builder.compile(checkpointer=saver)
            config: Any = {"configurable": {"thread_id": thread_id}}
            for turn in range(WARMUP_TURNS + turns):
                started = time.perf_counter()
                said: Any = {"messages": [HumanMessage(f"answer {turn}")]}
                await graph.ainvoke(said, config)
                checkpoint = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                await asyncio.to_thread(_app_writes, db, thread_id, turn)
                app = (time.perf_counter() - started) * 1000
                if turn >= WARMUP_TURNS:
                    checkpoint_ms.append(checkpoint)
                    app_ms.append(app)
            await storage.delete_thread(db=db, checkpointer=saver, thread_id=thread_id)
    finally:
        db.dispose()
    return {
        "database": db.dialect,
        "turns": turns,
        "checkpoint": _stats(checkpoint_ms),
        "app_data": _stats(app_ms),
        "total": _stats([a + b for a, b in zip(checkpoint_ms, app_ms, strict=True)]),
        # the whole message list is stored again in every checkpoint: cost grows with the talk
        "checkpoint_first10_p50_ms": round(statistics.median(checkpoint_ms[:10]), 3),
        "checkpoint_last10_p50_ms": round(statistics.median(checkpoint_ms[-10:]), 3),
    }


def measure(url: str, *, turns: int = 50) -> dict[str, Any]:
    """Per simulated turn, in ms: `{database, turns, checkpoint, app_data, total}`, each
    `{p50_ms, p95_ms, max_ms}`.

    checkpoint = one graph run (input + 2 loop checkpoints) through the saver;
    app_data = add_turn x2 + set_turn_metrics + add_evaluation, in a worker thread.
    """
    return asyncio.run(_measure(url, turns))


@contextlib.contextmanager
def scratch_postgres(admin_url: str) -> Iterator[str]:
    """A fresh database on the server of `admin_url`, dropped afterwards."""
    name = f"va_bench_{secrets.token_hex(6)}"
    plain = make_url(admin_url).set(drivername="postgresql")
    with psycopg.connect(
        plain.render_as_string(hide_password=False), autocommit=True, connect_timeout=3
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield plain.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*, turns: int, postgres: str | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(f"sqlite:///{Path(folder) / 'voice_agent.db'}", turns=turns)
    if postgres:
        try:
            with scratch_postgres(postgres) as url:
                results["postgresql"] = measure(url, turns=turns)
        except (psycopg.OperationalError, storage.DatabaseUnavailable) as exc:
            results["postgresql"] = {"error": str(exc).strip()}
    return results


def format_table(results: dict[str, Any]) -> str:
    lines = [f"{'database':<11} {'part':<11} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for name, result in results.items():
        if "error" in result:
            lines.append(f"{name:<11} unavailable: {result['error']}")
            continue
        for part in ("checkpoint", "app_data", "total"):
            s = result[part]
            lines.append(f"{name:<11} {part:<11} {s['p50_ms']:>8.2f} {s['p95_ms']:>8.2f} {s['max_ms']:>8.2f}")
        lines.append(
            f"{name:<11} checkpoint p50, first 10 turns {result['checkpoint_first10_p50_ms']:.2f} ms,"
            f" last 10 turns {result['checkpoint_last10_p50_ms']:.2f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server to create a scratch database on")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    results = run(turns=args.turns, postgres=None if args.no_postgres else args.postgres)
    print(json.dumps(results, indent=2) if args.json else format_table(results))


if __name__ == "__main__":
    main()
