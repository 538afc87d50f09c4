"""The workflows this brain offers, their options, and option validation.

list_workflows() -> [{name, title, description, options: [{name, type, choices?, default, min?, max?, help}]}]
get_workflow(name) -> Workflow            # UnknownWorkflow for an unknown name
get_workflow(name).validate(options)      # BadOption for an unknown or out-of-range option
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from langgraph.graph import StateGraph

from voice_io.errors import BadOption, UnknownWorkflow


@dataclass(frozen=True)
class Option:
    name: str
    type: Literal["choice", "int", "str"]
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    min: int | None = None
    max: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "help": self.help,
        }
        if self.choices is not None:
            out["choices"] = list(self.choices)
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out

    def coerce(self, workflow: str, value: Any) -> Any:
        where = f"workflow {workflow!r}: option {self.name!r}"
        if self.type == "int":
            if isinstance(value, bool):
                raise BadOption(f"{where} must be a whole number, got {value!r}")
            try:
                number = int(str(value).strip()) if not isinstance(value, int) else value
            except ValueError:
                raise BadOption(f"{where} must be a whole number, got {value!r}") from None
            if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                raise BadOption(f"{where} must be between {self.min} and {self.max}, got {number}")
            return number
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadOption(f"{where} must be a string, got {value!r}")
        text = value.strip()
        if self.type == "choice":
            match = next((c for c in self.choices or () if c.lower() == text.lower()), None)
            if match is None:
                raise BadOption(f"{where} must be one of {', '.join(self.choices or ())}; got {value!r}")
            return match
        if len(text) > 128:
            raise BadOption(f"{where} is too long (at most 128 characters)")
        return text or None


StateView = Callable[[Mapping[str, Any]], dict[str, Any]]
Repair = Callable[[Any, str], dict[str, Any]]


@dataclass(frozen=True)
class Workflow:
    name: str
    title: str
    description: str
    options: tuple[Option, ...]
    builder: StateGraph[Any, Any, Any, Any]
    view: StateView
    """Workflow fields of the `state` message (besides node and phase)."""
    where: Callable[[Mapping[str, Any]], str]
    """Human words for where a resumed conversation is ("question 3 of 5")."""
    repair: Repair = field(default=lambda _state, _heard: {})
    """State update after a barge-in: undo counters advanced by something the user did not hear."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "options": [o.as_dict() for o in self.options],
        }

    def validate(self, options: Mapping[str, Any] | None) -> dict[str, Any]:
        """Options with defaults filled in; BadOption names the workflow and the option."""
        options = dict(options or {})
        known = {o.name: o for o in self.options}
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise BadOption(
                f"workflow {self.name!r} has no option {unknown[0]!r} (options: {', '.join(known)})"
            )
        out = {}
        for option in self.options:
            value = options.get(option.name, option.default)
            out[option.name] = option.default if value is None else option.coerce(self.name, value)
        return out


WORKFLOW_MODULES = ("interview", "english", "intake")

USER = Option("user", "str", None, "Learner name or key; progress is tracked across sessions by it.")


@cache
def _workflows() -> dict[str, Workflow]:
    import importlib

    found = []
    for name in WORKFLOW_MODULES:
        try:
            module = importlib.import_module(f"graph.workflows.{name}.builder")
        except ModuleNotFoundError as exc:  # pragma: no cover - a workflow not written yet
            if exc.name != f"graph.workflows.{name}.builder" and exc.name != f"graph.workflows.{name}":
                raise
            continue
        found.append(module.WORKFLOW)
    return {w.name: w for w in found}


def list_workflows() -> list[dict[str, Any]]:
    return [w.as_dict() for w in _workflows().values()]


def workflow_names() -> list[str]:
    return list(_workflows())


def get_workflow(name: str) -> Workflow:
    try:
        return _workflows()[name]
    except KeyError:
        raise UnknownWorkflow(f"unknown workflow {name!r} (available: {', '.join(_workflows())})") from None
