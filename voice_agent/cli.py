"""The `voice-agent` command: `serve`, `bench` and `doctor` here; text mode (`chat`, `score`, `graph`,
`resume`), developer tools (`sessions`, `history`, `fork`) and `token` register themselves."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from voice_agent.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Offline realtime voice agent.")


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (default SQLite in data dir).")
    ] = None,
    log_level: Annotated[str, typer.Option(help="Logging level.")] = "info",
) -> None:
    """Serve the browser client and the /ws voice endpoint."""
    import uvicorn

    from voice_agent.app import create_app
    from voice_agent.memory import cap_malloc_arenas

    _setup_logging(log_level)
    cap_malloc_arenas()
    overrides = {k: v for k, v in {"host": host, "port": port, "database_url": database_url}.items() if v}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    typer.echo(
        f"voice-agent: serving on http://{settings.host}:{settings.port}  (LLM: {settings.llm_provider}, "
        f"STT: {settings.stt} {settings.stt_model}, TTS: {settings.tts}); loading models…"
    )
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=log_level, ws_max_size=1 << 20
    )


@app.command()
def bench(
    turns: Annotated[int, typer.Option(help="Spoken turns to play (per session).")] = 6,
    sessions: Annotated[int, typer.Option(help="Concurrent sessions (staggered 1 s apart).")] = 1,
    url: Annotated[
        str | None, typer.Option(help="ws:// URL of a running server (default: start one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    output: Annotated[Path | None, typer.Option(help="Also write the JSON here.")] = None,
) -> None:
    """Play spoken turns in real time to the embedded stack and print the latency table."""
    if sessions > 1:
        from bench.load import main as load_main

        load_main(sessions=sessions, turns=turns, url=url, as_json=as_json, output=output)
        return
    from bench.run import main as bench_main

    bench_main(turns=turns, url=url, as_json=as_json, output=output)


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
    log_level: Annotated[str, typer.Option(help="Logging level.")] = "warning",
) -> None:
    """Probe each engine live (TTS, VAD, STT, LLM) with real input; exit 1 when one fails."""
    import asyncio
    import json

    from voice_agent.doctor import run_doctor

    _setup_logging(log_level)
    probes = asyncio.run(run_doctor(Settings()))
    if as_json:
        typer.echo(json.dumps([p.as_dict() for p in probes], indent=2))
    else:
        for probe in probes:
            typer.echo(probe.line())
    failed = [p.engine for p in probes if not p.ok]
    if failed:
        typer.echo(f"FAILED: {', '.join(failed)}", err=True)
        raise typer.Exit(1)


def _register_plugins() -> None:
    from voice_agent import cli_sessions, cli_text, cli_token, cli_workflow

    cli_text.register(app)
    cli_sessions.register(app)
    cli_workflow.register(app)
    cli_token.register(app)


_register_plugins()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
