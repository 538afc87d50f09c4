"""`voice-agent score --workflow interview`: evidence with --explain, typed questions matched to the bank."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from voice_agent.cli import app

runner = CliRunner()
WRONG = ("Adding an index always makes the database faster, because it speeds up inserts and updates as "
         "well as reads. There is really no downside, so I put an index on every column.")


def test_explain_prints_the_evidence_per_criterion() -> None:
    result = runner.invoke(app, ["score", "-w", "interview", "--question-id", "be-index-writes",
                                 "--answer", WRONG, "--explain"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Score:" in out and "evaluator: semantic" in out
    assert "accuracy:" in out and "misconception:" in out and "correction:" in out
    assert "missed:" in out or "covered:" in out
    assert '"There is really no downside' in out or '"Adding an index always' in out


def test_a_typed_question_is_matched_to_the_nearest_bank_question() -> None:
    answer = ("My colleague Anna wanted to release on Friday and I thought the tests weren't ready. We sat "
              "down, I listened to her reasons, and we agreed to ship on Monday with the two fixes.")
    result = runner.invoke(app, ["score", "-w", "interview", "--question",
                                 "Tell me about a fight you had with a coworker", "--answer", answer])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["matched_question"]["id"] == "bh-conflict"
    assert payload["matched_question"]["similarity"] >= 0.5 and payload["matched_question"]["used"]
    assert payload["points"]["covered"] or payload["points"]["missed"]  # graded against its points


def test_an_unrelated_typed_question_borrows_nothing() -> None:
    result = runner.invoke(app, ["score", "-w", "interview", "--question",
                                 "What is your favourite colour of tulip?", "--answer",
                                 "Red ones, because they remind me of my grandmother's garden in spring."])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert not payload["matched_question"]["used"]
    assert payload["points"] == {"covered": [], "missed": []}
