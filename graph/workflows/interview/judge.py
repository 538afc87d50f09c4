"""The LLM judge: a capable model grades an answer with quoted evidence; the embedded evaluator's
result stands whenever the judgment cannot be trusted.

    result = await judged(model, question=..., answer=..., embedded=..., timeout_s=...)

The model must return a `Judgment` through a forced tool call (structured output): per criterion a
score and quotes copied from the answer, any misconception, one strength, one improvement, a better
phrasing of the candidate's own answer. Every quote is checked against the transcript. A timeout, an
error, malformed output, a strength or improvement that is not a phrase of three words, a criterion
without evidence or a quote that is not in the answer falls back to the embedded result. Both scores
are kept (`judge.score`, `judge.embedded_score`) and a gap of DISAGREEMENT points or more is flagged
(`judge.disagreement`).

Against the embedded SmolLM2 (llama.cpp) the forced tool call is constrained by a grammar that
llama-cpp-python compiles from the tool's JSON schema; that schema is the bounded
`judgment_schema` (criterion names from the list, scores 1..10, one quote of 8..60 characters per
criterion, short texts), so a 135M model cannot ramble past its token cap (EMBEDDED_MAX_TOKENS).
Its judgments go through the same checks as any other.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from graph.llm import EMBEDDED_MODEL
from graph.workflows.interview import prompts

log = logging.getLogger(__name__)

DISAGREEMENT = 3.0
EMBEDDED_MAX_TOKENS = 600
"""A bounded judgment of eight criteria fits in about 400 tokens."""


class CriterionScore(BaseModel):
    """One criterion of the grade, with the evidence for it."""

    criterion: str = Field(description="The criterion's name, from the list given.")
    score: int = Field(ge=1, le=10, description="1 (absent or wrong) to 10 (excellent).")
    evidence: list[str] = Field(description="Short quotes copied word for word from the answer.")


class Judgment(BaseModel):
    """A structured evaluation of one interview answer."""

    criteria: list[CriterionScore] = Field(min_length=1)
    misconception: str | None = Field(default=None, description="A wrong claim in the answer, if any.")
    strength: str = Field(description="One strength of the answer, in one sentence.")
    improvement: str = Field(description="One concrete improvement, in one sentence.")
    better_phrasing: str = Field(description="The candidate's own answer said better, or empty.")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s%$']", " ", text.lower().replace("\u2019", "'"))).strip()


def quote_in(quote: str, answer: str) -> bool:
    """Whether a quote (at least two words) is in the answer, ignoring case and punctuation."""
    needle = _normal(quote)
    return len(needle.split()) >= 2 and needle in _normal(answer)


def check(judgment: Judgment, answer: str) -> str | None:
    """The reason a judgment cannot be trusted, or None."""
    for item in judgment.criteria:
        quotes = [q for q in item.evidence if q.strip()]
        if not quotes:
            return f"missing evidence for {item.criterion}"
        for quote in quotes:
            if not quote_in(quote, answer):
                return f"fabricated quote for {item.criterion}: {quote[:60]!r}"
    for name, text in (("strength", judgment.strength), ("improvement", judgment.improvement)):
        if len(re.findall(r"[A-Za-z]{2,}", text)) < 3:
            return f"no usable {name}: {text[:40]!r}"
    return None


def _messages(question: Mapping[str, Any], answer: str, criteria: list[str]) -> list[Any]:
    points = question.get("reference_points") or question.get("key_points") or []
    wrong = [m.get("claim", "") for m in question.get("misconceptions") or [] if isinstance(m, Mapping)]
    task = prompts.JUDGE_TASK.format(
        question=question.get("text", ""), kind=question.get("kind", "behavioural"),
        points="\n".join(f"- {p}" for p in points) or "- (none given)",
        misconceptions="\n".join(f"- {m}" for m in wrong) or "- (none given)",
        criteria=", ".join(criteria), answer=answer)
    return [SystemMessage(prompts.JUDGE_SYSTEM), HumanMessage(task)]


def judgment_schema(criteria: list[str]) -> dict[str, Any]:
    """`Judgment` as a bounded JSON schema (what the embedded model's grammar is compiled from)."""
    quotes = {"type": "array", "minItems": 1, "maxItems": 1,
              "items": {"type": "string", "minLength": 8, "maxLength": 60}}
    item = {"type": "object", "required": ["criterion", "score", "evidence"],
            "properties": {"criterion": {"type": "string", "enum": criteria},
                           "score": {"type": "integer", "enum": list(range(1, 11))}, "evidence": quotes}}
    texts = {"misconception": 100, "strength": 100, "improvement": 100, "better_phrasing": 200}
    return {"title": "Judgment", "description": Judgment.__doc__, "type": "object",
            "required": ["criteria", *texts],
            "properties": {"criteria": {"type": "array", "items": item, "minItems": len(criteria),
                                        "maxItems": len(criteria)},
                           **{k: {"type": "string", "maxLength": n} for k, n in texts.items()}}}


def is_embedded(model: BaseChatModel) -> bool:
    return str(getattr(model, "model_name", "") or "") == EMBEDDED_MODEL


async def _ask(model: BaseChatModel, messages: list[Any],
               criteria: list[str]) -> tuple[Judgment | None, str | None]:
    schema: Any = Judgment
    if is_embedded(model) and criteria:
        schema = judgment_schema(criteria)
        extra = {**(getattr(model, "extra_body", None) or {}), "max_tokens": EMBEDDED_MAX_TOKENS}
        # not streamed: llama-cpp-python repeats the tool's name in every streamed chunk, and the
        # merged name ("JudgmentJudgment...") would match no tool
        model = model.model_copy(update={"extra_body": extra, "streaming": False})
    structured = model.with_structured_output(schema, method="function_calling", include_raw=True)
    out = await structured.ainvoke(messages)
    parsed = out.get("parsed") if isinstance(out, dict) else None
    if isinstance(parsed, Judgment):
        return parsed, None
    if isinstance(parsed, dict):
        try:
            return Judgment.model_validate(parsed), None
        except ValidationError as exc:
            return None, f"malformed: {exc.error_count()} validation errors"
    error = out.get("parsing_error") if isinstance(out, dict) else None
    return None, f"malformed: {error or 'no structured output'}"


async def judged(model: BaseChatModel, *, question: Mapping[str, Any], answer: str,
                 embedded: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """`embedded` overridden by a trusted judgment, else as it was; both carry the `judge` record."""
    criteria = list(embedded.get("criteria") or {})
    record: dict[str, Any] = {"status": "fallback", "reason": None, "score": None, "criteria": {},
                              "evidence": {}, "misconception": None, "embedded_score": embedded.get("score"),
                              "disagreement": False}
    try:
        asked = _ask(model, _messages(question, answer, criteria), criteria)
        judgment, reason = await asyncio.wait_for(asked, timeout=timeout_s)
    except TimeoutError:
        judgment, reason = None, f"timeout after {timeout_s:g} s"
    except Exception as exc:  # the embedded result stands, whatever went wrong
        log.warning("LLM judge failed: %s", exc)
        judgment, reason = None, f"error: {type(exc).__name__}: {exc}"
    if judgment is not None:
        reason = check(judgment, answer)
    if judgment is None or reason is not None:
        record["reason"] = reason
        return {**embedded, "judge": record}
    scores = {c.criterion: c.score for c in judgment.criteria}
    score = round(sum(scores.values()) / len(scores), 1)
    record.update(status="ok", score=score, criteria=scores, misconception=judgment.misconception or None,
                  evidence={c.criterion: c.evidence for c in judgment.criteria})
    base = embedded.get("score")
    record["disagreement"] = isinstance(base, int | float) and abs(score - float(base)) >= DISAGREEMENT
    return {**embedded, "score": score, "criteria": scores, "evaluator": "llm",
            "strength": judgment.strength, "improvement": judgment.improvement,
            "better_phrasing": judgment.better_phrasing if _grounded(judgment.better_phrasing, answer) else
            embedded.get("better_phrasing", ""), "judge": record}


def _grounded(phrasing: str, answer: str) -> bool:
    """A better phrasing must reuse the candidate's own words (half its words from the answer)."""
    said = set(_normal(answer).split())
    tokens = _normal(phrasing).split()
    return bool(tokens) and sum(t in said for t in tokens) >= len(tokens) / 2
