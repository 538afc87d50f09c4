"""The grammar analyser on its dev set (tests/tools/grammar_dev.py): recall on learner errors,
false flags on correct and fluent spoken English, and corrections that leave no error behind."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.tools.grammar_dev import CORRECT, ERRORS
from tools.grammar import apply_corrections, find_errors

MIN_RECALL = 0.85
MAX_FALSE_FLAGS = 0.03


def _found(sentence: str, original: str, correction: str) -> bool:
    pairs = {(e["original"].lower(), e["correction"].lower()) for e in find_errors(sentence)}
    return (original.lower(), correction.lower()) in pairs


def test_the_dev_set_is_big_enough_and_covers_every_class() -> None:
    assert len(ERRORS) >= 80 and len(CORRECT) >= 60
    classes = {cls for cls, _, _ in ERRORS}
    assert {"tense", "plural", "compound", "modal", "comparative", "ing_ed", "preposition", "if_will",
            "irregular", "collocation"} <= classes
    assert sum(1 for s in CORRECT if any(f in s.lower() for f in ("um", "uh", "like,", "you know"))) >= 15


def test_recall_on_learner_errors() -> None:
    expected = [(s, o, c) for _, s, pairs in ERRORS for o, c in pairs]
    missed = [(s, o, c) for s, o, c in expected if not _found(s, o, c)]
    recall = 1 - len(missed) / len(expected)
    assert recall >= MIN_RECALL, f"recall {recall:.1%}; missed: {missed}"


def test_recall_per_class() -> None:
    per_class: dict[str, list[bool]] = defaultdict(list)
    for cls, sentence, pairs in ERRORS:
        per_class[cls].extend(_found(sentence, o, c) for o, c in pairs)
    weak = {c: f"{sum(hits)}/{len(hits)}" for c, hits in per_class.items() if sum(hits) < 0.75 * len(hits)}
    assert weak == {}


def test_false_flags_on_correct_and_fluent_speech() -> None:
    flagged = {s: [(e["original"], e["correction"]) for e in find_errors(s)] for s in CORRECT}
    flagged = {s: errors for s, errors in flagged.items() if errors}
    assert len(flagged) / len(CORRECT) <= MAX_FALSE_FLAGS, flagged


@pytest.mark.parametrize("sentence", [s for _, s, _ in ERRORS])
def test_applying_every_correction_leaves_no_error(sentence: str) -> None:
    errors = find_errors(sentence)
    fixed = apply_corrections(sentence, errors)
    assert find_errors(fixed) == [], fixed
    for error in errors:
        assert error["rule"] and error["explanation"]
        assert sentence[error["start"]: error["end"]] == error["original"]
