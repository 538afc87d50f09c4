"""Detection of common learner errors in spoken English, with a correction each.

`find_errors(text)` returns `[{"original", "correction", "explanation", "rule", "start", "end"}]` in
text order, without overlaps; `apply_corrections(text, errors)` is the text with every one of them
fixed (what a recast says back). The rules live in tools.grammar_basic (agreement with he/she/it,
articles, uncountables, double negatives...), tools.grammar_tense (verb forms from lemminflect's
dictionary: time markers, plural and compound subjects, modals, if-clauses, comparatives,
irregular pasts) and tools.grammar_words (-ing/-ed adjectives, prepositions, collocations).

Precision first: every rule is written to stay quiet on correct and on fluent spoken English
(fillers, false starts), because a wrong correction hurts a learner more than a missed one.
LanguageTool would be the library for this, but it needs a download that is not available offline
here (no registry ships its data), so the rules stay in the project; measured on the dev set in
tests/tools/grammar_dev.py (README).
"""

from __future__ import annotations

from typing import Any

from tools.grammar_basic import BASIC_RULES
from tools.grammar_core import Edit, Rule
from tools.grammar_tense import TENSE_RULES
from tools.grammar_words import WORD_RULES

RULES: tuple[Rule, ...] = (*TENSE_RULES, *WORD_RULES, *BASIC_RULES)
"""Earlier rules win when two find an error at the same place with the same length."""

MAX_CHARS = 200_000
"""Longer input is analysed up to here (a turn is never that long; this bounds the cost)."""


def find_errors(text: str) -> list[dict[str, Any]]:
    """Learner errors in `text`, in order, without overlaps (the earlier/longer match wins)."""
    text = (text if isinstance(text, str) else "")[:MAX_CHARS]
    found: list[tuple[int, int, int, dict[str, Any]]] = []
    for order, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            fixed = rule.fix(m)
            if fixed is None:
                continue
            edit = fixed if isinstance(fixed, Edit) else Edit(m.start(rule.group), m.end(), fixed)
            original = text[edit.start: edit.end]
            if not original.strip() or edit.text.lower() == original.lower():
                continue
            found.append((edit.start, edit.end, order, {
                "original": original, "correction": edit.text, "explanation": rule.explanation,
                "rule": rule.name, "start": edit.start, "end": edit.end,
            }))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0]), item[2]))
    kept: list[dict[str, Any]] = []
    last_end = -1
    for start, end, _, error in found:
        if start >= last_end:
            kept.append(error)
            last_end = end
    return kept


def apply_corrections(text: str, errors: list[dict[str, Any]]) -> str:
    """`text` with every error replaced by its correction (errors from find_errors on that text)."""
    out = text
    for error in sorted(errors, key=lambda e: int(e.get("start", -1)), reverse=True):
        start, end = int(error.get("start", -1)), int(error.get("end", -1))
        if 0 <= start <= end <= len(out) and out[start:end] == error.get("original"):
            out = out[:start] + str(error.get("correction", "")) + out[end:]
        elif error.get("original") and str(error["original"]) in out:
            out = out.replace(str(error["original"]), str(error.get("correction", "")), 1)
    return out
