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

EVIDENCE_KEYS = ("evaluator", "relevance", "off_topic", "points", "misconception", "evidence", "judge")
"""What an evaluation carries beyond the score and feedback: who graded it and on what evidence."""


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


def warm_up() -> None:
    """Load the encoder and the bank's vectors now (call in a thread at start) so that the first
    answer does not wait for them."""
    bank_index()


def match_question(text: str) -> tuple[dict[str, Any], float] | None:
    """The bank question nearest in meaning to a typed question, with its similarity."""
    index = bank_index()
    if index is None:
        return None
    question, similarity = index.match(text, shared_encoder())
    return dict(question), similarity


MATCH_SIM = 0.5
"""A typed question this similar to a bank question borrows its reference points and misconceptions."""


def custom_question(text: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A question typed by the user, and how it matched the bank: ({id: "custom", text, kind, ...},
    {id, text, similarity, used}) — `used` when the match was close enough to grade against."""
    imperative = text.strip().lower().startswith(("tell", "describe", "give", "walk"))
    question: dict[str, Any] = {"id": "custom", "text": text, "competency": "",
                                "kind": "behavioural" if imperative else "technical", "key_points": []}
    found = match_question(text)
    if found is None:
        return question, None
    nearest, similarity = found
    used = similarity >= MATCH_SIM
    if used:
        question = {**nearest, "id": "custom", "text": text}
    return question, {"id": nearest["id"], "text": nearest["text"], "similarity": round(similarity, 3),
                      "used": used}


def score_answer(*, question: dict[str, Any], answer: str,
                 fluency: dict[str, Any] | None = None) -> dict[str, Any]:
    """The embedded evaluator against the whole bank (blocking: call it in a worker thread)."""
    return semantic_evaluate(question=question, answer=answer, fluency=fluency, index=bank_index())


def evaluate(*, question: dict[str, Any], answer: str, fluency: dict[str, Any] | None) -> dict[str, Any]:
    return score_answer(question=question, answer=answer, fluency=fluency)
