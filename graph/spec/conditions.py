"""Conditions on slot values (`ask_if:` of a slot, `when:` of an outcome), evaluated on the record.

A condition is `{path: test}` (all must hold) or a list of those (any must hold). A path is a slot
id, a part of a structured value (`budget.min`, `timeline.days`, `authority.detail`) or
`options.NAME`. A bare slot id compares a structured value by its main part: a yes/no answer by
yes or no, a money range by its upper bound (`max`), a timeline by `days` from today.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.spec.schema import Condition, Test

PRIMARY = ("yes", "max", "days")
"""The part of a structured value a bare slot id stands for, first found."""

_WORDS = {"yes": True, "no": False, "true": True, "false": False}


def lookup(path: str, record: Mapping[str, Any], options: Mapping[str, Any]) -> Any:
    head, _, rest = path.partition(".")
    if head == "options":
        return options.get(rest)
    value = record.get(head)
    for part in rest.split(".") if rest else []:
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, Mapping):
        return next((value[key] for key in PRIMARY if key in value), None)
    return value


def same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) and isinstance(expected, str):
        expected = _WORDS.get(expected.strip().lower(), expected)
    if isinstance(value, str) and isinstance(expected, str):
        return value.strip().lower() == expected.strip().lower()
    if isinstance(value, int | float) and isinstance(expected, int | float) and not isinstance(value, bool):
        return float(value) == float(expected)
    return bool(value == expected)


def as_test(raw: Any) -> Test:
    """A test as written: a mapping of operators, a list (one of) or a value (is)."""
    if isinstance(raw, Mapping):
        return Test.model_validate(raw)
    if isinstance(raw, list):
        return Test(one_of=raw)
    return Test.model_validate({"is": raw})


def passes(value: Any, test: Test) -> bool:
    if test.present is not None and (value is not None) != test.present:
        return False
    if value is None:
        return test.present is False and all(
            v is None for v in (test.is_, test.one_of, test.at_least, test.at_most, test.contains)
        )
    if test.is_ is not None and not same(value, test.is_):
        return False
    if test.not_ is not None and same(value, test.not_):
        return False
    if test.one_of is not None and not any(same(value, option) for option in test.one_of):
        return False
    if test.at_least is not None or test.at_most is not None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        if test.at_least is not None and value < test.at_least:
            return False
        if test.at_most is not None and value > test.at_most:
            return False
    return test.contains is None or test.contains.lower() in str(value).lower()


def holds(
    condition: Condition | list[Condition] | None, record: Mapping[str, Any], options: Mapping[str, Any]
) -> bool:
    """No condition holds; a list holds when any part does; a mapping when every test passes."""
    if condition is None:
        return True
    if isinstance(condition, list):
        return any(holds(part, record, options) for part in condition)
    return all(passes(lookup(path, record, options), as_test(raw)) for path, raw in condition.items())


def check(condition: Condition | list[Condition] | None) -> None:
    """Raise ValueError for a malformed test (called when a spec loads)."""
    for part in condition if isinstance(condition, list) else [condition] if condition else []:
        for path, raw in part.items():
            try:
                as_test(raw)
            except ValueError as exc:
                raise ValueError(f"condition on {path!r}: {exc}") from None
