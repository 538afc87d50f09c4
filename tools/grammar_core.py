"""The pieces every grammar rule module shares: `Rule` (a pattern, a fix, an explanation) and small
match helpers. Rule modules: tools.grammar_basic, tools.grammar_tense, tools.grammar_words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple


class Edit(NamedTuple):
    """An explicit correction: replace text[start:end] by `text`."""

    start: int
    end: int
    text: str


Fix = Callable[[re.Match[str]], "str | Edit | None"]
"""Builds the correction from a match: the text that replaces the match from its `group` on, an Edit,
or None (not an error after all)."""


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    fix: Fix
    explanation: str
    name: str = ""
    """The rule's short name, shown in explicit correction mode ("past time marker")."""
    group: int = 0
    """The error starts where this group starts (what the pattern matched before it is context)."""


_WORD = re.compile(r"[A-Za-z']+")


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def alternatives(spec: str) -> str:
    """A regex alternation of the words of `spec`, longest first."""
    return "|".join(sorted(spec.split(), key=len, reverse=True))


def match_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def prev_words(m: re.Match[str], n: int = 2, group: int = 0) -> list[str]:
    start = m.start(group)
    return [w.lower() for w in _WORD.findall(m.string, max(0, start - 20 * n), start)[-n:]]


def next_words(m: re.Match[str], n: int = 1, group: int = 0) -> list[str]:
    end = m.end(group)
    return [w.lower() for w in _WORD.findall(m.string, end, end + 20 * n)[:n]]


def literal(replacement: str) -> Fix:
    def fix(m: re.Match[str]) -> str:
        return match_case(m.group(0), m.expand(replacement))

    return fix


SUBJECT_PRONOUNS = frozenset("i you we they he she it".split())
SINGULAR_PRONOUNS = frozenset("he she it".split())
