"""What a spec workflow works out from its record: which slot comes next, the verdict (first
matching outcome), the report and the spoken read-back."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from graph.spec.conditions import holds
from graph.spec.schema import Slot, WorkflowSpec
from graph.spec.slots import spoken


def fill(template: str, values: Mapping[str, Any]) -> str:
    """`template` with {names} filled in; an empty value leaves no gap ("Hello {user}!" -> "Hello!")."""
    text = string.Formatter().vformat(template, (), _Blank(values))
    text = re.sub(r"\s+([!?.,;:])", r"\1", text)
    text = re.sub(r"([.!?])\.(?=\s|$)", r"\1", text)  # a filled-in sentence's own full stop
    return re.sub(r"\s{2,}", " ", text).strip()


class _Blank(dict[str, Any]):
    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__({k: "" if v is None else v for k, v in values.items()})

    def __missing__(self, key: str) -> str:
        return ""


def _referenced(condition: Any) -> set[str]:
    parts = condition if isinstance(condition, list) else [condition] if condition else []
    return {path.partition(".")[0] for part in parts for path in part}


def applies(slot: Slot, record: Mapping[str, Any], skipped: list[str], options: Mapping[str, Any]) -> bool:
    """The slot is asked: no condition, or its condition holds on the record."""
    return holds(slot.ask_if, record, options)


def undecided(slot: Slot, record: Mapping[str, Any], skipped: list[str]) -> bool:
    """Its condition names a slot not answered or given up yet (so it may still apply)."""
    return any(name not in record and name not in skipped for name in _referenced(slot.ask_if) - {"options"})


def next_slot(
    spec: WorkflowSpec, record: Mapping[str, Any], skipped: list[str], options: Mapping[str, Any]
) -> Slot | None:
    return next(
        (
            s
            for s in spec.slots
            if s.id not in record and s.id not in skipped and applies(s, record, skipped, options)
        ),
        None,
    )


def counted(
    spec: WorkflowSpec, record: Mapping[str, Any], skipped: list[str], options: Mapping[str, Any]
) -> int:
    """Slots the conversation will ask for, as far as is known now (for progress)."""
    return sum(1 for s in spec.slots if applies(s, record, skipped, options) or undecided(s, record, skipped))


def verdict(
    spec: WorkflowSpec, record: Mapping[str, Any], options: Mapping[str, Any]
) -> dict[str, str] | None:
    for outcome in spec.outcomes:
        if holds(outcome.when, record, options):
            return {"verdict": outcome.verdict, "reason": outcome.reason}
    return None


def build_report(spec: WorkflowSpec, state: Mapping[str, Any]) -> dict[str, Any]:
    record = dict(state.get("record", {}))
    skipped = list(state.get("skipped", []))
    options = dict(state.get("options", {}))
    missing = [
        s.id for s in spec.slots if s.required and s.id not in record and applies(s, record, skipped, options)
    ]
    keep = spec.report or [s.id for s in spec.slots]
    report: dict[str, Any] = {
        "workflow": spec.name,
        "record": {k: record[k] for k in keep if k in record},
        "complete": not missing,
        "missing": missing,
    }
    if spec.outcomes:
        outcome = verdict(spec, record, options)
        report["verdict"] = outcome["verdict"] if outcome else None
        report["verdict_reason"] = fill(outcome["reason"], slot_values(spec, state)) if outcome else None
    return report


def readback(spec: WorkflowSpec, state: Mapping[str, Any], report: Mapping[str, Any]) -> str:
    record = state.get("record", {})
    labels = {s.id: s.spoken_label for s in spec.slots}
    values: dict[str, Any] = {**state.get("options", {})}
    values.update({s.id: spoken(s, record.get(s.id)) for s in spec.slots})
    values["verdict"] = report.get("verdict") or ""
    values["verdict_reason"] = report.get("verdict_reason") or ""
    values["missing"] = " and ".join(labels[m] for m in report["missing"])
    template = spec.readback.complete if report["complete"] else spec.readback.partial
    return fill(template, values)


def slot_values(spec: WorkflowSpec, state: Mapping[str, Any]) -> dict[str, Any]:
    """Template values for a question: options and the earlier answers, as read aloud."""
    record = state.get("record", {})
    values: dict[str, Any] = {**state.get("options", {})}
    values.update({s.id: spoken(s, record[s.id]) for s in spec.slots if s.id in record})
    return values
