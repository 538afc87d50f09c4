"""Scoring an answer: the semantic evaluator (`tools.semantic.evaluator`), with the other bank
questions as contrast so an answer to a different question is recognised. A question typed by the
user is matched to the nearest bank question by meaning (`match_question`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from graph.workflows.interview.bank import load_bank
from tools.semantic.encoder import EncoderUnavailable, shared_encoder
from tools.semantic.evaluator import evaluate as semantic_evaluate
from tools.semantic.index import QuestionIndex


@cache
def bank_questions() -> tuple[dict[str, Any], ...]:
    return tuple({**q.model_dump(), "role": role} for role, qs in load_bank().items() for q in qs)


@cache
def bank_index() -> QuestionIndex | None:
    """The whole bank embedded once (None without the encoder: the rules score alone)."""
    try:
        return QuestionIndex.build(bank_questions(), shared_encoder())
    except EncoderUnavailable:
        return None


def match_question(text: str) -> tuple[dict[str, Any], float] | None:
    """The bank question nearest in meaning to a typed question, with its similarity."""
    index = bank_index()
    if index is None:
        return None
    question, similarity = index.match(text, shared_encoder())
    return dict(question), similarity


def evaluate(*, question: dict[str, Any], answer: str, fluency: dict[str, Any] | None) -> dict[str, Any]:
    return semantic_evaluate(question=question, answer=answer, fluency=fluency, index=bank_index())
