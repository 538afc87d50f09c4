"""Reading specs: every problem names the file, the line and a hint; the published JSON Schema,
langgraph.json and README's table are what the registry says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.spec.loader import SpecError, load_spec, parse_spec
from graph.spec.schema import WorkflowSpec

ROOT = Path(__file__).resolve().parents[2]
GOOD = """\
name: tiny
title: Tiny flow
description: Asks one thing and reads it back.
persona: a tester
context: You are testing.
greeting: Hello {user}!
slots:
  - id: answer
    type: yes_no
    question: Is it on?
    retry: Yes or no, please.
readback:
  complete: You said {answer}.
closing: Bye.
outcomes:
  - {verdict: on, reason: It is on., when: {answer: yes}}
  - {verdict: off, reason: It is off.}
"""


def problems(text: str, tmp_path: Path) -> list:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(path) in str(info.value)
    return info.value.problems


def test_a_good_spec_loads_and_yes_no_stay_words() -> None:
    spec = parse_spec(GOOD)
    assert spec.outcomes[0].when == {"answer": "yes"}  # YAML 1.1 would have made it True
    assert spec.slots[0].confirm == "never" and spec.max_attempts == 3


def test_typos_give_the_line_and_a_did_you_mean(tmp_path: Path) -> None:
    found = problems(
        GOOD.replace("    type: yes_no", "    type: yes_or_no").replace("question:", "qestion:"), tmp_path
    )
    by_where = {p.where: p for p in found}
    assert by_where["slots.0.type"].line == 9 and by_where["slots.0.type"].hint == "did you mean 'yes_no'?"
    assert (
        by_where["slots.0.qestion"].line == 10
        and by_where["slots.0.qestion"].hint == "did you mean 'question'?"
    )
    assert by_where["slots.0.question"].hint == "add `question:` here"


def test_a_condition_on_a_later_slot_points_at_its_slot(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    retry: Yes or no, please.\n", "    retry: Yes or no, please.\n    ask_if: {later: yes}\n"
    )
    (problem,) = problems(text, tmp_path)
    assert problem.line == 8 and "'later' does not name an earlier slot" in problem.message
    assert "asked before" in problem.hint


def test_an_unknown_placeholder_is_reported(tmp_path: Path) -> None:
    (problem,) = problems(GOOD.replace("You said {answer}.", "You said {answr}."), tmp_path)
    assert "{answr}" in problem.message and problem.line == 13


def test_a_bad_test_operator_is_reported(tmp_path: Path) -> None:
    (problem,) = problems(GOOD.replace("when: {answer: yes}", "when: {answer: {bigger: 3}}"), tmp_path)
    assert "condition on 'answer'" in problem.message and "at_least" in problem.hint


def test_broken_yaml_and_a_missing_file(tmp_path: Path) -> None:
    (problem,) = problems("name: x\ntitle: [unclosed\n", tmp_path)
    assert problem.line == 3 and "not valid YAML" in problem.message
    with pytest.raises(SpecError, match="cannot read the file"):
        load_spec(tmp_path / "nope.yaml")


def test_the_published_json_schema_is_current() -> None:
    published = json.loads((ROOT / "graph" / "spec" / "workflow.schema.json").read_text())
    assert published["properties"].keys() == WorkflowSpec.model_json_schema()["properties"].keys()
    from voice_agent.cli_workflow import schema_text

    assert (ROOT / "graph" / "spec" / "workflow.schema.json").read_text() == schema_text()


def test_langgraph_json_and_readme_come_from_the_registry() -> None:
    from typer.testing import CliRunner

    from voice_agent.cli_workflow import app

    result = CliRunner().invoke(app, ["sync", "--check"])
    assert result.exit_code == 0, result.output
    from graph.registry import spec_names

    graphs = json.loads((ROOT / "langgraph.json").read_text())["graphs"]
    assert {name: graphs[name] for name in spec_names()} == {
        n: f"./graph/spec/graphs.py:{n}" for n in spec_names()
    }
