"""The embedded evaluator on its own dev set (tests/tools/devset_pairs.py), scored through
`voice-agent score`: the better answer of each pair must get the higher score.

Thresholds (issue 9): >= 90 % right overall, each kind >= 75 %, the easy pairs of
tests/tools/rubric_pairs.py >= 95 %. The figures per kind are printed and reported in the README.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.tools.devset_pairs import KINDS, PAIRS
from tests.tools.devset_scoring import rank_pairs, score
from tests.tools.rubric_pairs import PAIRS as EASY


def test_the_dev_set_has_five_kinds_and_at_least_60_pairs() -> None:
    counts = {kind: sum(1 for p in PAIRS if p[0] == kind) for kind in KINDS}
    assert len(PAIRS) >= 60 and set(counts) == set(KINDS) and min(counts.values()) >= 12


def test_pair_accuracy_overall_and_per_kind() -> None:
    right, misses = rank_pairs(PAIRS)
    figures = {kind: f"{sum(v)}/{len(v)}" for kind, v in right.items()}
    total = sum(sum(v) for v in right.values()) / len(PAIRS)
    print(f"dev set: {figures}, overall {total:.1%}; misses: {misses}")
    assert total >= 0.90, (figures, misses)
    for kind, values in right.items():
        assert sum(values) / len(values) >= 0.75, (kind, figures, misses)


def test_easy_pairs_stay_right() -> None:
    from voice_agent.cli_score import interview_payload

    def scored(question: dict[str, Any], answer: str) -> float:
        return float(interview_payload(question=question, answer=answer, fluency=None)["score"])

    right = [scored(q, strong) > scored(q, vague) for q, strong, vague in EASY]
    assert sum(right) / len(right) >= 0.95, f"{sum(right)}/{len(right)}"


@pytest.mark.parametrize("kind", ["off_topic", "wrong"])
def test_what_went_wrong_is_named(kind: str) -> None:
    """An answer to another question is flagged off topic; a confident wrong one names the correction."""
    flagged = 0
    pairs = [p for p in PAIRS if p[0] == kind]
    for _, question_id, better, worse in pairs:
        good, bad = score("--question-id", question_id, better), score("--question-id", question_id, worse)
        if kind == "off_topic":
            flagged += bad["off_topic"] and not good["off_topic"]
        else:
            flagged += bad["misconception"] is not None and good["misconception"] is None
            if bad["misconception"]:
                assert bad["misconception"]["correction"] in bad["improvements"][0]
    assert flagged / len(pairs) >= 0.6, f"{kind}: {flagged}/{len(pairs)}"
