"""Text-mode commands on the same graph, storage and LLM settings as the voice server:
`chat`, `resume`, `score`, `graph`.

    voice-agent chat --workflow interview --option role="data scientist" --option questions=2
    voice-agent resume THREAD_ID
    voice-agent score --workflow interview --question-id be-api-design --answer "I would ..."
    voice-agent graph english            # Mermaid diagram

Type `/end` (or end the input) to finish a conversation with its wrap-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from graph.registry import packaged_names
from voice_agent.cli_read_aloud import ReadAloud, print_read_aloud
from voice_agent.settings import Settings
from voice_io.errors import ConversationError
from voice_io.events import EvaluationEvent, WarningEvent
from voice_io.protocols import Finished, Notify, ReplyEvent, Say, UserTurn

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL (default: the app database from settings)."),
]
Llm = Annotated[
    str | None, typer.Option("--llm", help="Brain: auto, embedded, openai or rules (default: from settings).")
]
END_COMMANDS = {"/end", "/quit", "/exit"}
WORKFLOW_HELP = f"{', '.join(packaged_names())} (`voice-agent workflow list`: all, with specs added)"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def _settings(database_url: str | None, llm: str | None) -> Settings:
    overrides: dict[str, Any] = {}
    if database_url:
        overrides["database_url"] = database_url
    if llm:
        overrides["llm"] = llm
    try:
        return Settings(**overrides)
    except ValueError as exc:
        _fail(str(exc))


def parse_options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--option takes key=value, got {pair!r}")
        options[key.strip()] = value.strip()
    return options


def _show(event: ReplyEvent) -> None:
    if isinstance(event, Say):
        typer.echo(event.text, nl=False)
        sys.stdout.flush()
        return
    if not isinstance(event, Notify):
        return
    notice = event.event
    if isinstance(notice, EvaluationEvent) and notice.fields.get("workflow") == "interview":
        tip = (notice.fields.get("improvements") or [""])[0]
        typer.echo(f"\n  [score {notice.fields.get('score')}/10 — {tip}]", err=True)
    elif isinstance(notice, EvaluationEvent):
        fixes = "; ".join(f"{e['original']} → {e['correction']}" for e in notice.fields.get("errors", []))
        typer.echo(f"\n  [level {notice.fields.get('level')}{' — ' + fixes if fixes else ''}]", err=True)
    elif isinstance(notice, WarningEvent):
        typer.echo(f"\n  [{notice.code}: {notice.message}]", err=True)


async def _play(events: AsyncIterator[ReplyEvent]) -> tuple[str, Finished | None]:
    said: list[str] = []
    done: Finished | None = None
    typer.echo("agent> ", nl=False)
    async for event in events:
        _show(event)
        if isinstance(event, Say):
            said.append(event.text)
        elif isinstance(event, Finished):
            done = event
    typer.echo("")
    return "".join(said).strip(), done


@contextlib.asynccontextmanager
async def _responder(settings: Settings) -> AsyncIterator[tuple[Any, Any]]:
    import storage
    from voice_agent.brain import LLMState, open_brain

    url = settings.resolved_database_url
    db = storage.Database.connect(url)
    try:
        await asyncio.to_thread(db.upgrade)
        async with storage.open_checkpointer(url) as checkpointer:
            writer = storage.BackgroundWriter(db=db)
            try:
                llm = LLMState(provider=settings.llm_provider)
                brain = open_brain(settings, db=db, checkpointer=checkpointer, writer=writer, llm=llm)
                async with brain as responder:
                    yield responder, db
            finally:
                await writer.aclose()
    finally:
        db.dispose()


async def _converse(
    settings: Settings, *, workflow: str | None, thread_id: str | None, options: Mapping[str, Any]
) -> dict[str, Any] | None:
    import storage

    async with _responder(settings) as (responder, db):
        if thread_id is not None and workflow is None:
            row = await asyncio.to_thread(storage.get_session, db=db, thread_id=thread_id)
            if row is None:
                _fail(f"no conversation with thread_id {thread_id!r}")
            workflow = row["workflow"]
        assert workflow is not None
        try:
            conversation = await responder.open(workflow=workflow, thread_id=thread_id, options=options)
        except ConversationError as exc:
            _fail(exc.message)
        typer.echo(
            f"thread {conversation.thread_id} ({workflow}{', resumed' if conversation.resumed else ''})",
            err=True,
        )
        summary: dict[str, Any] | None = None
        try:
            spoken, done = await _play(conversation.opening())
            await conversation.record_heard(spoken=spoken, heard=spoken, interrupted=False)
            while done is None:
                typer.echo("you> ", nl=False)
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line or line.strip() in END_COMMANDS:
                    spoken, done = await _play(conversation.finish())
                else:
                    user = UserTurn(turn_id=secrets.token_hex(6), text=line.strip(), source="text")
                    spoken, done = await _play(conversation.reply(user))
                await conversation.record_heard(spoken=spoken, heard=spoken, interrupted=False)
            summary = dict(done.summary)
        finally:
            await conversation.close()
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return summary


def chat(
    workflow: Annotated[str, typer.Option("--workflow", "-w", help=f"{WORKFLOW_HELP}.")] = "interview",
    workflow_file: Annotated[
        Path | None, typer.Option("--workflow-file", help="Run this workflow spec (YAML), registered or not.")
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", "-o", help="Workflow option as key=value (repeatable).")
    ] = None,
    database_url: DatabaseUrl = None,
    llm: Llm = None,
) -> None:
    """Talk to a workflow in the terminal (text in, text out); prints the final report as JSON."""
    settings = _settings(database_url, llm)
    if workflow_file is not None:
        from graph.registry import add_spec_file

        try:
            workflow = add_spec_file(workflow_file).name
        except ValueError as exc:
            _fail(str(exc))
    asyncio.run(_converse(settings, workflow=workflow, thread_id=None, options=parse_options(option or [])))


def resume(
    thread_id: Annotated[str, typer.Argument(help="The conversation's thread id.")],
    database_url: DatabaseUrl = None,
    llm: Llm = None,
) -> None:
    """Continue a stored conversation in text mode."""
    settings = _settings(database_url, llm)
    asyncio.run(_converse(settings, workflow=None, thread_id=thread_id, options={}))


def _transcribe(path: Path) -> tuple[str, dict[str, Any]]:
    from graph.fluency import fluency_metrics
    from voice_io.audio import load_audio
    from voice_io.protocols import INPUT_RATE
    from voice_io.stt import load_stt

    stt = load_stt("faster-whisper", "tiny.en", "en", 2)
    audio = load_audio(path)
    transcript = asyncio.run(stt.transcribe(audio, word_timestamps=True))
    audio_s = len(audio) / INPUT_RATE
    metrics = fluency_metrics(text=transcript.text, words=transcript.words, audio_s=audio_s)
    return transcript.text.strip(), metrics


def score(
    workflow: Annotated[
        str, typer.Option("--workflow", "-w", help="interview (rubric) or english (analysis).")
    ],
    question_id: Annotated[
        str | None, typer.Option("--question-id", help="A question id from the bank.")
    ] = None,
    question: Annotated[str | None, typer.Option("--question", help="A question text of your own.")] = None,
    answer: Annotated[str | None, typer.Option("--answer", help="The answer text.")] = None,
    answer_file: Annotated[
        Path | None, typer.Option("--answer-file", help="Read the answer from a file.")
    ] = None,
    audio: Annotated[
        Path | None,
        typer.Option("--audio", help="A recording of the answer: transcribed for text and fluency."),
    ] = None,
    level: Annotated[str, typer.Option("--level", help="english: the learner's level.")] = "B1",
    read_aloud: ReadAloud = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="interview: print the evidence per criterion instead of JSON.")
    ] = False,
) -> None:
    """Score one answer and print the evaluation as JSON (no conversation, no database)."""
    if workflow not in ("interview", "english"):
        _fail(f"score supports --workflow interview or english, not {workflow!r}")
    if read_aloud is not None:
        return print_read_aloud(workflow=workflow, target=read_aloud, audio=audio)
    if answer_file is not None:
        try:
            answer = answer_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            _fail(f"cannot read {answer_file}: {exc}")
    fluency: dict[str, Any] | None = None
    if audio is not None:
        if not audio.is_file():
            _fail(f"no such audio file: {audio}")
        heard, fluency = _transcribe(audio)
        answer = answer or heard
    if not answer:
        _fail("give the answer with --answer, --answer-file or --audio")
    if workflow == "english":
        from graph.workflows.english.analysis import analyze

        result = {"type": "evaluation", "workflow": "english", **analyze(text=answer, level=level)}
        result["metrics"] = fluency or {}
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    if (question_id is None) == (question is None):
        _fail("give exactly one of --question-id and --question")
    from voice_agent import cli_score

    q, matched = cli_score.resolve(question_id, question)
    if q is None:
        _fail(f"no question with id {question_id!r}")
    payload = cli_score.interview_payload(question=q, answer=answer, fluency=fluency, matched=matched)
    typer.echo(cli_score.explain(payload) if explain else json.dumps(payload, indent=2, ensure_ascii=False))


def graph(
    workflow: Annotated[str, typer.Argument(help=f"{WORKFLOW_HELP}.")],
) -> None:
    """Print the workflow graph as a Mermaid diagram."""
    from graph.registry import get_workflow

    try:
        spec = get_workflow(workflow)
    except ConversationError as exc:
        _fail(exc.message)
    typer.echo(spec.builder.compile().get_graph().draw_mermaid())


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("resume")(resume)
    app.command("score")(score)
    app.command("graph")(graph)
