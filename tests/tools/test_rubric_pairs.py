"""The rubric must rank a strong answer above a vague one for the same question, every time."""

from __future__ import annotations

import pytest

from tests.tools.rubric_pairs import PAIRS
from tools.rubric import score_answer


def test_there_are_enough_pairs_of_both_kinds() -> None:
    kinds = [question["kind"] for question, _, _ in PAIRS]
    assert len(PAIRS) >= 20
    assert kinds.count("behavioural") >= 8 and kinds.count("technical") >= 8


def test_pair_ranking_accuracy() -> None:
    results = [
        (question["id"], score_answer(question=question, answer=strong)["score"],
         score_answer(question=question, answer=vague)["score"])
        for question, strong, vague in PAIRS
    ]
    wrong = [r for r in results if r[1] <= r[2]]
    accuracy = f"{len(results) - len(wrong)}/{len(results)}"
    assert not wrong, f"pair ranking accuracy {accuracy}; misranked: {wrong}"


@pytest.mark.parametrize(("question", "strong", "vague"), PAIRS, ids=[p[0]["id"] for p in PAIRS])
def test_strong_answer_clearly_beats_vague_one(question: dict, strong: str, vague: str) -> None:
    good = score_answer(question=question, answer=strong)
    bad = score_answer(question=question, answer=vague)
    assert good["score"] >= bad["score"] + 2.0
    assert good["score"] >= 6.5
    assert bad["score"] <= 5.0
    assert len(bad["missing"]) > len(good["missing"])


@pytest.mark.parametrize(("question", "strong", "vague"), PAIRS[:6], ids=[p[0]["id"] for p in PAIRS[:6]])
def test_feedback_for_a_vague_answer_asks_for_a_story(question: dict, strong: str, vague: str) -> None:
    result = score_answer(question=question, answer=vague)
    assert "specific story" in result["improvement"] or "result" in result["improvement"]
    assert result["strength"]
    assert result["better_phrasing"]
