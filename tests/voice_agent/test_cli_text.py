"""`chat`, `resume`, `score`, `graph` in text mode (rules brain, real SQLite database)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import storage
from graph.registry import workflow_names
from tests.fakes import READY
from voice_agent import cli_text

AUDIO = Path(__file__).resolve().parents[3] / "shared" / "audio"
ANSWER = (
    "At my last job I owned the billing service. Our invoices were late, so I rewrote the batch job "
    "and added alerts, and the result was that late invoices dropped by 90 percent in a month."
)
runner = CliRunner()


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    cli_text.register(app)
    return app


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _report(output: str) -> dict:
    return json.loads(output[output.index("\n{") + 1 :])


def test_chat_full_interview(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(
        cli,
        [
            "chat",
            "--workflow",
            "interview",
            "-o",
            "questions=2",
            "-o",
            "follow_ups=0",
            "-o",
            "role=product manager",
            "--llm",
            "rules",
            "--database-url",
            url,
        ],
        input=f"{READY}\n{ANSWER}\n{ANSWER}\n",  # the greeting asks whether we are ready
    )
    assert result.exit_code == 0, result.output
    assert "I'm your interview coach" in result.output and "Are you ready" in result.output
    report = _report(result.output)
    assert report["answered"] == 2 and report["role"] == "product manager"
    thread_id = re.search(r"thread (\S+) \(interview\)", result.output).group(1)
    db = storage.Database.connect(url)
    try:
        assert storage.get_report(db=db, thread_id=thread_id) == report
        assert [t["role"] for t in storage.list_turns(db=db, thread_id=thread_id)].count("user") == 3
        assert len(storage.list_evaluations(db=db, thread_id=thread_id)) == 2  # not the readiness turn
    finally:
        db.dispose()


def test_chat_english_then_end(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(
        cli,
        ["chat", "-w", "english", "-o", "topic=hobbies", "--llm", "rules", "--database-url", url],
        input="I like playing football with my friends on sunday.\n/end\n",
    )
    assert result.exit_code == 0, result.output
    report = _report(result.output)
    assert report["workflow"] == "english" and report["turns_taken"] == 1 and len(report["practise"]) == 3


def test_resume_continues_the_thread(cli: typer.Typer, url: str) -> None:
    first = runner.invoke(
        cli,
        ["chat", "-o", "questions=3", "-o", "follow_ups=0", "--llm", "rules", "--database-url", url],
        input=f"{READY}\n{ANSWER}\n",  # then end of input: the session wraps up
    )
    thread_id = re.search(r"thread (\S+) \(interview\)", first.output).group(1)
    again = runner.invoke(cli, ["resume", thread_id, "--llm", "rules", "--database-url", url], input="/end\n")
    assert again.exit_code == 0, again.output
    assert "resumed" in again.output and "already finished" in again.output


def test_chat_errors_are_clear(cli: typer.Typer, url: str) -> None:
    result = runner.invoke(cli, ["chat", "-o", "questions=99", "--llm", "rules", "--database-url", url])
    assert result.exit_code == 1
    assert "option 'questions': input should be less than or equal to 10, got '99'" in result.output
    result = runner.invoke(cli, ["chat", "-w", "poetry", "--llm", "rules", "--database-url", url])
    assert result.exit_code == 1 and "unknown workflow 'poetry'" in result.output
    result = runner.invoke(cli, ["chat", "-o", "oops", "--llm", "rules", "--database-url", url])
    assert result.exit_code == 1 and "key=value" in result.output
    result = runner.invoke(cli, ["resume", "nope", "--llm", "rules", "--database-url", url])
    assert result.exit_code == 1 and "no conversation" in result.output


def test_score_by_question_id(cli: typer.Typer) -> None:
    result = runner.invoke(
        cli, ["score", "-w", "interview", "--question-id", "bh-challenge", "--answer", ANSWER]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["question_id"] == "bh-challenge" and 1 <= payload["score"] <= 10
    assert set(payload) >= {"criteria", "missing", "strengths", "improvements", "better_phrasing", "metrics"}


def test_score_own_question_from_file(cli: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER)
    result = runner.invoke(
        cli,
        [
            "score",
            "-w",
            "interview",
            "--question",
            "Tell me about a problem you fixed.",
            "--answer-file",
            str(path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["question_id"] == "custom"
    result = runner.invoke(cli, ["score", "-w", "interview", "--answer", "x"])
    assert result.exit_code == 1 and "exactly one of" in result.output
    result = runner.invoke(cli, ["score", "-w", "interview", "--question-id", "zzz", "--answer", "x"])
    assert result.exit_code == 1 and "no question with id" in result.output


def test_score_english(cli: typer.Typer) -> None:
    result = runner.invoke(cli, ["score", "-w", "english", "--answer", "Yesterday I goed to the cinema."])
    assert result.exit_code == 0, result.output
    assert "errors" in json.loads(result.output)


@pytest.mark.models
def test_score_with_audio_gives_fluency(cli: typer.Typer) -> None:
    result = runner.invoke(
        cli,
        [
            "score",
            "-w",
            "interview",
            "--question",
            "Tell me about a speech you gave.",
            "--audio",
            str(AUDIO / "jfk.flac"),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert "country" in payload["answer"].lower()
    assert payload["metrics"]["wpm"] > 0 and payload["metrics"]["word_count"] > 5


@pytest.mark.parametrize("workflow", workflow_names())
def test_graph_prints_mermaid(cli: typer.Typer, workflow: str) -> None:
    result = runner.invoke(cli, ["graph", workflow])
    assert result.exit_code == 0, result.output
    assert "graph TD;" in result.output and "__start__" in result.output
