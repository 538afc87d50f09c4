"""`voice-agent score --workflow interview`: one answer graded by the interview's evaluator, as the
evaluation JSON or, with `--explain`, as readable evidence per criterion."""

from __future__ import annotations

from typing import Any

from graph.workflows.interview.report import answer_feedback
from graph.workflows.interview.scoring import custom_question, evaluate


def bank_question(question_id: str) -> dict[str, Any] | None:
    from graph.workflows.interview.bank import load_bank

    for questions in load_bank().values():
        for question in questions:
            if question.id == question_id:
                return question.model_dump()
    return None


def interview_payload(
    *,
    question: dict[str, Any],
    answer: str,
    fluency: dict[str, Any] | None,
    matched: dict[str, Any] | None = None,
) -> dict[str, Any]:
    result = evaluate(question=question, answer=answer, fluency=fluency)
    payload: dict[str, Any] = {
        "type": "evaluation",
        "workflow": "interview",
        "question_id": question["id"],
        "question": question["text"],
        "answer": answer,
        **answer_feedback(result),
        "metrics": fluency or {},
    }
    if matched is not None:
        payload["matched_question"] = matched
    return payload


def resolve(question_id: str | None, text: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(question, match info) for --question-id or --question; (None, None) for an unknown id."""
    if question_id:
        return bank_question(question_id), None
    assert text is not None
    return custom_question(text)


def explain(payload: dict[str, Any]) -> str:
    """The evaluation as text: score, then each criterion with its quotes, points, misconception."""
    lines = [f"Question: {payload['question']}"]
    matched = payload.get("matched_question")
    if matched:
        how = "graded against it" if matched["used"] else "too far to borrow its reference points"
        lines.append(
            f"Nearest bank question: {matched['id']} ({matched['similarity']:.2f}, {how}): {matched['text']}"
        )
    lines.append(f"Score: {payload['score']}/10 (evaluator: {payload.get('evaluator', 'rules')})")
    if payload.get("off_topic"):
        lines.append("Off topic: the answer fits another question better.")
    evidence = payload.get("evidence") or {}
    for name, value in payload.get("criteria", {}).items():
        lines.append(f"  {name}: {value}/10")
        item = evidence.get(name) or {}
        if item.get("note"):
            lines.append(f"      {item['note']}")
        for quote in item.get("quotes") or []:
            lines.append(f'      "{quote}"')
    points = payload.get("points") or {}
    for point in points.get("covered") or []:
        lines.append(f'  covered: {point["point"]}  <- "{point["quote"]}" ({point["similarity"]:.2f})')
    for point in points.get("missed") or []:
        lines.append(f"  missed:  {point}")
    misconception = payload.get("misconception")
    if misconception:
        lines.append(f'  misconception: "{misconception["quote"]}"')
        lines.append(f"      correction: {misconception['correction']}")
    judge = payload.get("judge")
    if judge:
        lines.append(
            f"  LLM judge: {judge.get('status')} score={judge.get('score')} "
            f"disagreement={judge.get('disagreement')}"
        )
    for label, key in (("Strength", "strengths"), ("Improvement", "improvements")):
        for text in payload.get(key) or []:
            lines.append(f"{label}: {text}")
    if payload.get("better_phrasing"):
        lines.append(f"Better phrasing: {payload['better_phrasing']}")
    return "\n".join(lines)
