"""Spec workflows end to end: intake and sales run from their specs alone and their `examples:`
pass; a third spec written from docs/workflows.md alone (tests/graph/specs/appointment.yaml) passes
`validate` and `test` with no Python; barge-in repair; specs dropped into a folder; chat --workflow-file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graph.registry as registry
from graph.registry import get_workflow, spec_names
from graph.spec.examples import run_examples
from tests.graph.conftest import collect, notices, spoken, turn
from voice_agent import cli_text, cli_workflow

ROOT = Path(__file__).resolve().parents[2]
APPOINTMENT = Path(__file__).parent / "specs" / "appointment.yaml"
runner = CliRunner()


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Specs added by a test stay in that test."""
    monkeypatch.setattr(registry, "_extra", [])
    monkeypatch.setattr(registry, "_found", None)


def test_intake_and_sales_are_specs_with_nothing_else() -> None:
    assert {"intake", "sales"} <= set(spec_names())
    for name in ("intake", "sales"):
        folder = ROOT / "graph" / "workflows" / name
        assert sorted(p.name for p in folder.iterdir() if p.name != "__pycache__") == [f"{name}.yaml"]


@pytest.mark.parametrize("name", ["intake", "sales"])
async def test_the_packaged_specs_examples_pass(name: str) -> None:
    results = await run_examples(get_workflow(name))
    assert results and all(r.passed for r in results), [(r.name, r.failures) for r in results if not r.passed]


def test_a_spec_written_from_the_docs_validates_and_its_examples_pass() -> None:
    result = runner.invoke(cli_workflow.app, ["validate", str(APPOINTMENT)])
    assert result.exit_code == 0, result.output
    assert "workflow 'appointment', 6 slots, 2 outcomes, 3 examples" in result.output
    result = runner.invoke(cli_workflow.app, ["test", str(APPOINTMENT)])
    assert result.exit_code == 0, result.output
    assert "3 passed, 0 failed" in result.output


def test_the_docs_example_spec_passes(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "workflows.md").read_text()
    path = tmp_path / "booking.yaml"
    path.write_text(re.search(r"```yaml\n(.*?)```", docs, re.S).group(1))  # type: ignore[union-attr]
    result = runner.invoke(cli_workflow.app, ["test", str(path)])
    assert result.exit_code == 0 and "1 passed, 0 failed" in result.output, result.output


def test_a_failing_example_fails_the_test_command_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "appointment.yaml"
    path.write_text(
        APPOINTMENT.read_text().replace(
            'phone: "+14155552671"\n      confirmed', 'phone: "+15550000000"\n      confirmed'
        )
    )
    result = runner.invoke(cli_workflow.app, ["test", str(path)])
    assert result.exit_code == 1
    assert "FAIL  a booking, said the way people speak" in result.output
    assert "phone: expected '+15550000000', got '+14155552671'" in result.output


def test_preview_lists_the_questions_in_order() -> None:
    result = runner.invoke(cli_workflow.app, ["preview", str(ROOT / "graph/workflows/sales/sales.yaml")])
    assert result.exit_code == 0, result.output
    assert "graph TD;" in result.output and "record_answer" in result.output
    questions = re.findall(r"^\d+\. \[(\w+)\]", result.output, re.M)
    assert questions == ["company", "need", "budget", "authority", "timeline"]
    assert 'only if {"need": "yes"}' in result.output and "=> qualified" in result.output


def test_validate_reports_file_line_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(APPOINTMENT.read_text().replace("    type: phone", "    type: phon"))
    result = runner.invoke(cli_workflow.app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:32: slots.4.type" in result.output and "did you mean 'phone'?" in result.output


async def test_an_unheard_question_takes_a_fitting_answer_else_asks_again_without_a_try(
    make_responder,
) -> None:
    conversation = await make_responder().open(workflow="intake", thread_id=None, options={})
    said = spoken(await collect(conversation.opening()))
    await conversation.record_heard(spoken=said, heard="Hello!", interrupted=True)
    assert conversation.values["phase"] == "unheard"
    events = await collect(conversation.reply(turn("what did you just say to me there")))
    assert spoken(events) == "To start, what's your name?"  # no retry wording: it was never heard
    assert conversation.values["attempts"] == 0
    said = spoken(events)
    await conversation.record_heard(spoken=said, heard="To start,", interrupted=True)
    events = await collect(conversation.reply(turn("Maria Lopez")))  # answered early: taken
    assert conversation.values["record"] == {"name": "Maria Lopez"}
    assert notices(events, "evaluation")[0]["valid"] is True


async def test_a_heard_question_is_not_repaired(make_responder) -> None:
    conversation = await make_responder().open(workflow="intake", thread_id=None, options={})
    said = spoken(await collect(conversation.opening()))
    await conversation.record_heard(spoken=said, heard=said, interrupted=True)
    assert conversation.values["phase"] == "asking"


async def test_sales_progress_counts_only_the_questions_that_apply(make_responder) -> None:
    conversation = await make_responder().open(workflow="sales", thread_id=None, options={})
    await collect(conversation.opening())
    events = await collect(conversation.reply(turn("Globex")))
    assert notices(events, "state")[-1]["fields"] == 5  # budget, authority, timeline may still apply
    events = await collect(conversation.reply(turn("no, not at the moment")))
    report = next(e for e in events if hasattr(e, "summary")).summary  # type: ignore[attr-defined]
    assert report["verdict"] == "not a fit" and report["complete"]
    assert notices(events, "state")[-1]["fields"] == 2


def test_specs_dropped_into_a_folder_are_offered_and_a_broken_one_is_skipped(
    tmp_path: Path, clean_registry: None, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "appointment.yaml").write_text(APPOINTMENT.read_text())
    (tmp_path / "broken.yaml").write_text("name: broken\n")
    registry.add_spec_dir(tmp_path)
    assert "appointment" in registry.workflow_names() and "broken" not in registry.workflow_names()
    assert "broken.yaml" in caplog.text and "title: Field required" in caplog.text
    assert any(w["name"] == "appointment" for w in registry.list_workflows())


def test_chat_runs_a_spec_file_that_is_not_registered(tmp_path: Path, clean_registry: None) -> None:
    import typer

    app = typer.Typer()
    cli_text.register(app)
    lines = ["Sam Jones", "a check-up", "next tuesday", "3pm", "415 555 2671", "yes", "yes"]
    result = runner.invoke(
        app,
        [
            "chat",
            "--workflow-file",
            str(APPOINTMENT),
            "--llm",
            "rules",
            "--database-url",
            f"sqlite:///{tmp_path / 'chat.db'}",
        ],
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("\n{") + 1 :])
    assert report["workflow"] == "appointment" and report["verdict"] == "booked"
    assert report["record"]["phone"] == "+14155552671" and report["record"]["time"] == "15:00"


SUPPORT = """\
name: support
title: Support triage
description: Sorts a support call by kind and asks for an email when the caller wants a reply.
persona: a support agent
context: You are sorting a support call.
greeting: Hello {user}!
options:
  - {name: team, type: choice, choices: [day, night], default: day, help: Which team is on.}
slots:
  - id: kind
    type: choice
    choices:
      - {value: billing, says: [a question about my invoice or a charge]}
      - {value: technical, says: [something is broken, an error or a crash]}
    confirm: unsure
    confirm_question: That sounds like a {value} question. Right?
    question: Is it about billing or something technical?
    retry: Billing or technical?
  - id: email
    type: email
    required: false
    ask_if: {options.team: night}
    question: What email should the night team answer?
    retry: An email address, or say skip.
readback:
  complete: Noted, a {kind} question.
closing: Bye.
examples:
  - name: billing said outright, no read-back, day team asks no email
    user: [billing]
    values: {kind: billing}
    complete: true
  - name: by meaning, read back; the night team asks for an email, which may be skipped
    options: {team: night}
    user: [I was charged twice, "yes", skip]
    values: {kind: billing}
    complete: true
    says: ["That sounds like a billing question. Right?", "What email should the night team answer?"]
"""


async def test_unsure_matches_are_read_back_and_options_steer_questions(tmp_path: Path) -> None:
    from graph.spec.compiler import compile_spec
    from graph.spec.loader import parse_spec

    workflow = compile_spec(parse_spec(SUPPORT))
    results = await run_examples(workflow)
    assert [r.failures for r in results] == [[], []], [r.transcript for r in results]
    assert "email" not in results[1].report["record"] and results[1].report["missing"] == []
    assert "support" not in registry.workflow_names()  # examples run without registering the spec


async def test_options_that_leave_nothing_to_ask_greet_then_wrap_up() -> None:
    from graph.spec.compiler import compile_spec
    from graph.spec.loader import parse_spec

    text = SUPPORT.split("examples:")[0].replace(
        "  - id: kind\n", "  - id: kind\n    ask_if: {options.team: night}\n"
    )
    workflow = compile_spec(parse_spec(text))
    with registry.overlay(workflow):
        from langgraph.checkpoint.memory import InMemorySaver

        from graph.responder import GraphResponder

        conversation = await GraphResponder(chat_model=None, checkpointer=InMemorySaver()).open(
            workflow="support", thread_id=None, options={}
        )
        assert spoken(await collect(conversation.opening())) == "Hello!"
        events = await collect(conversation.reply(turn("hello?")))
    report = next(e for e in events if hasattr(e, "summary")).summary  # type: ignore[attr-defined]
    assert report["complete"] and report["record"] == {}
