"""One strength and one improvement from what the answer means: an answer to another question, a
misconception (named with its correction), generic filler, missed reference points. Anything else
falls through to the cue-based wording of `tools.feedback`."""

from __future__ import annotations

from typing import Any

from tools import feedback as rules
from tools.semantic.signals import Analysis


def _rules_context(ctx: dict[str, Any]) -> rules.FeedbackContext:
    found: Analysis = ctx["analysis"]
    return {
        "question": ctx["question"], "answer": ctx["answer"], "cues": ctx["cues"],
        "criteria": ctx["criteria"], "missing": ctx["missing"], "technical": ctx["technical"],
        "covered": [p.text for p in found.points if p.covered],
        "uncovered": [p.text for p in found.points if not p.covered],
    }


def _short(text: str, limit: int = 18) -> str:
    tokens = text.split()
    return " ".join(tokens[:limit]).rstrip(".,;:!?") + ("…" if len(tokens) > limit else "")


def strength(ctx: dict[str, Any]) -> str:
    found: Analysis = ctx["analysis"]
    if found.off_topic:
        return "You told a complete story; now make it the story this question asks for."
    covered = sorted((p for p in found.points if p.covered), key=lambda p: -p.similarity)
    if covered and not found.misconception and found.generic_share < 0.5:
        return f'You covered a key point: "{_short(covered[0].quote)}".'
    return rules.strength(_rules_context(ctx))


def improvement(ctx: dict[str, Any]) -> str:
    found: Analysis = ctx["analysis"]
    question = ctx["question"]
    if found.off_topic:
        asked = str(question.get("text") or "the question that was asked")
        return f"This answers a different question. Answer the one asked: {asked}"
    if found.misconception is not None:
        return (f'Careful: "{_short(found.misconception.quote)}" is a common misconception. '
                f"In fact: {found.misconception.correction}")
    generic = [s for s, g in zip(found.sentences, found.generic, strict=True) if g]
    if found.generic_share >= 0.5 and generic:
        return (f'Replace general statements like "{_short(generic[0], 12)}" with one real example: '
                "where you were, what you did yourself, and what changed.")
    if ctx["cues"].word_count > 170 and found.on_topic_share < 0.75:
        return ("Cut what is not about the question: one situation, what you did, the result, "
                "in under two minutes.")
    missed = [p.text for p in found.points if not p.covered]
    technical = ctx["technical"]
    if technical and missed and ctx["criteria"].get("depth", 10) < 7:
        return f"Go deeper: also cover this point: {missed[0]}"
    text = rules.improvement(_rules_context(ctx))
    if text.startswith("To make it even stronger") and missed:
        return f"To make it even stronger, also cover this point: {missed[0]}"
    return text
