"""Analysing a learner turn: tools.english.analyze_english (owned by the tools package).

Until tools.english lands, a small stand-in with the same signature and result shape is used.
"""

from __future__ import annotations

import re
from typing import Any

try:  # pragma: no cover - depends on the tools package being present
    from tools.english import analyze_english
except ImportError:  # pragma: no cover
    _RULES = (
        (r"\bI goed\b", "I went", "'go' is irregular: the past is 'went'."),
        (r"\bhe go\b", "he goes", "Add -s after he/she/it in the present simple."),
        (r"\bshe go\b", "she goes", "Add -s after he/she/it in the present simple."),
        (r"\bI am agree\b", "I agree", "'agree' is a verb: no 'am'."),
        (r"\bpeoples\b", "people", "'people' is already plural."),
        (r"\bmore better\b", "better", "'better' is already a comparative."),
        (r"\bdidn't went\b", "didn't go", "After 'didn't' use the base form."),
    )

    def analyze_english(*, text: str, level: str) -> dict[str, Any]:
        errors = []
        for pattern, correction, explanation in _RULES:
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                errors.append(
                    {"original": match.group(0), "correction": correction, "explanation": explanation}
                )
        words = re.findall(r"[A-Za-z']+", text)
        long_words = sorted({w.lower() for w in words if len(w) >= 9})[:3]
        signal = 1 if len(words) >= 25 and not errors else (-1 if len(words) < 6 or len(errors) >= 2 else 0)
        return {
            "errors": errors,
            "new_vocabulary": long_words,
            "difficulty_signal": signal,
            "word_count": len(words),
        }


def analyze(*, text: str, level: str) -> dict[str, Any]:
    return analyze_english(text=text, level=level)
