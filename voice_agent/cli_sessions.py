"""Developer commands over stored conversations: `sessions list|show|export|delete|check`, `history`,
`fork`.

Each takes `--database-url` (default: the app's database from Settings). Unknown ids and an
unreachable database print a clear message on stderr and exit with code 1.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

import storage

T = TypeVar("T")

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL (default: the app database from settings)."),
]
ThreadId = Annotated[str, typer.Argument(help="The session's thread id.")]


class ExportFormat(StrEnum):
    json = "json"
    md = "md"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def _resolve(url: str | None) -> str:
    if url:
        return url
    from voice_agent.settings import Settings

    return Settings().resolved_database_url


@contextmanager
def _database(url: str | None) -> Iterator[storage.Database]:
    db = storage.Database.connect(_resolve(url))
    try:
        db.upgrade()
        yield db
    except storage.DatabaseUnavailable as exc:
        _fail(str(exc))
    finally:
        db.dispose()


def _with_checkpointer(url: str | None, work: Callable[[storage.Database, Any], Awaitable[T]]) -> T:
    """Run `work(db, checkpointer)` on a fresh event loop."""
    resolved = _resolve(url)

    async def run(db: storage.Database) -> T:
        async with storage.open_checkpointer(resolved) as saver:
            return await work(db, saver)

    with _database(resolved) as db:
        try:
            return asyncio.run(run(db))
        except storage.DatabaseUnavailable as exc:
            _fail(str(exc))


def _interactive() -> bool:
    return sys.stdin.isatty()


def _export_or_fail(db: storage.Database, thread_id: str) -> dict[str, Any]:
    export = storage.export_session(db=db, thread_id=thread_id)
    if export is None:
        _fail(f"no session {thread_id!r}")
    return export


def list_sessions(
    database_url: DatabaseUrl = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List stored sessions, newest first."""
    with _database(database_url) as db:
        sessions = storage.list_sessions(db=db, limit=limit)
    if as_json:
        typer.echo(json.dumps(sessions, indent=2))
        return
    if not sessions:
        typer.echo("no sessions")
        return
    for s in sessions:
        typer.echo(
            f"{s['thread_id']}  {s['workflow']:<10} {s['status']:<7} {s['turn_count']:>3} turns  "
            f"{s['created_at'][:19].replace('T', ' ')}  {s['learner']}"
        )


def show(
    thread_id: ThreadId,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a session: transcript (heard / interrupted), evaluations, report."""
    with _database(database_url) as db:
        export = _export_or_fail(db, thread_id)
    typer.echo(json.dumps(export, indent=2) if as_json else storage.render_markdown(export))


def export(
    thread_id: ThreadId,
    database_url: DatabaseUrl = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json or md.")] = ExportFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Export a session as JSON (everything stored) or Markdown."""
    with _database(database_url) as db:
        data = _export_or_fail(db, thread_id)
    text = json.dumps(data, indent=2) + "\n" if fmt is ExportFormat.json else storage.render_markdown(data)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}", err=True)


def delete(
    thread_id: ThreadId,
    database_url: DatabaseUrl = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a session: its rows and its checkpoints (asks first on a terminal)."""
    if not yes and _interactive():
        typer.confirm(f"Delete session {thread_id} and its checkpoints?", abort=True)

    async def work(db: storage.Database, saver: Any) -> bool:
        return await storage.delete_thread(db=db, checkpointer=saver, thread_id=thread_id)

    if not _with_checkpointer(database_url, work):
        _fail(f"no session {thread_id!r}")
    typer.echo(f"deleted {thread_id}")


def history(
    thread_id: ThreadId,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a thread's checkpoints (step, source, node, time), oldest first."""

    async def work(db: storage.Database, saver: Any) -> list[dict[str, Any]]:
        return await storage.list_checkpoints(checkpointer=saver, thread_id=thread_id)

    checkpoints = _with_checkpointer(database_url, work)
    if not checkpoints:
        _fail(f"no checkpoints for thread {thread_id!r}")
    if as_json:
        typer.echo(json.dumps(checkpoints, indent=2))
        return
    typer.echo(f"{'step':>4}  {'source':<6}  {'node':<20}  {'next':<20}  {'time':<19}  checkpoint")
    for c in checkpoints:
        when = (c["created_at"] or "")[:19].replace("T", " ")
        nodes = ", ".join(c["next"]) or "-"
        typer.echo(
            f"{c['step']:>4}  {c['source'] or '':<6}  {c['node'] or '-':<20}  {nodes:<20}  {when:<19}  "
            f"{c['checkpoint_id']}"
        )


def fork(
    thread_id: ThreadId,
    checkpoint: Annotated[str, typer.Option("--checkpoint", help="Checkpoint id (see `history`).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Start a new thread from a past checkpoint; prints the new thread id."""

    async def work(db: storage.Database, saver: Any) -> str:
        return await storage.fork_thread(
            checkpointer=saver, db=db, thread_id=thread_id, checkpoint_id=checkpoint
        )

    try:
        new_thread_id = _with_checkpointer(database_url, work)
    except (storage.UnknownThread, storage.UnknownCheckpoint) as exc:
        _fail(str(exc))
    typer.echo(new_thread_id)


def check(
    thread_id: Annotated[str | None, typer.Argument(help="One session (default: all).")] = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare each session's rows with its checkpoints; exit code 1 when any disagree."""
    from storage.consistency import check_sessions

    async def work(db: storage.Database, saver: Any) -> dict[str, list[str]]:
        return await check_sessions(db=db, checkpointer=saver, thread_id=thread_id)

    report = _with_checkpointer(database_url, work)
    bad = {t: problems for t, problems in report.items() if problems}
    if as_json:
        typer.echo(json.dumps({"checked": len(report), "disagreements": bad}, indent=2))
    else:
        for t, problems in report.items():
            typer.echo(f"{t}  {'ok' if not problems else 'DISAGREE'}")
            for problem in problems:
                typer.echo(f"    - {problem}")
        typer.echo(f"{len(report)} checked, {len(bad)} disagree")
    if bad:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    sessions = typer.Typer(
        no_args_is_help=True, help="Stored conversations: list, show, export, delete, check."
    )
    sessions.command("list")(list_sessions)
    sessions.command("show")(show)
    sessions.command("export")(export)
    sessions.command("delete")(delete)
    sessions.command("check")(check)
    app.add_typer(sessions, name="sessions")
    app.command("history")(history)
    app.command("fork")(fork)
