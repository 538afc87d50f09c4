"""The workflows this brain offers, their options, and option validation.

list_workflows() -> [{name, title, description, options: [{name, type, choices?, default, min?, max?, help}]}]
get_workflow(name) -> Workflow            # UnknownWorkflow for an unknown name
get_workflow(name).validate(options)      # BadOption for an unknown or out-of-range option
add_spec_dir(path) / add_spec_file(path)  # spec workflows from a designer's folder or file

Workflows are found, not listed: every folder under graph/workflows/ with a `builder.py` is a coded
workflow (its `WORKFLOW`); every other folder's `*.yaml` files are workflow specs (graph.spec),
compiled at load. Specs from `add_spec_dir` (the `workflows_dir` setting) join them at start.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from voice_io.errors import BadOption, UnknownWorkflow

if TYPE_CHECKING:
    from langgraph.graph import StateGraph

log = logging.getLogger(__name__)
WORKFLOWS_DIR = Path(__file__).parent / "workflows"


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

    def annotation(self) -> Any:
        """The option as a pydantic field type (its JSON Schema is what a form renders)."""
        if self.type == "choice":
            return Literal.__getitem__(tuple(self.choices or ()))
        if self.type == "int":
            return Annotated[int, Field(ge=self.min, le=self.max)]
        return Annotated[str | None, Field(max_length=128)]

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
    repair: Repair = field(default=lambda _state, _heard: {})
    """State update after a barge-in: undo counters advanced by something the user did not hear."""
    order: int = 100
    """Place in the workflow list (lower first, then by name)."""
    source: str = ""
    """Where it was defined: the builder module, or the spec file."""
    spec: Any = None
    """The `graph.spec.schema.WorkflowSpec` of a spec workflow (None for a coded one)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "options": [o.as_dict() for o in self.options],
            "schema": options_model(self).model_json_schema(),
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


def options_model(workflow: Workflow) -> type[BaseModel]:
    """The workflow's options as a pydantic model (`<Name>Options`; unknown options forbidden);
    `/api/workflows` sends its JSON Schema as `schema` so a form can be built from it."""
    fields: dict[str, Any] = {
        o.name: (o.annotation(), Field(default=o.default, description=o.help)) for o in workflow.options
    }
    name = "".join(part.capitalize() for part in workflow.name.replace("-", "_").split("_")) + "Options"
    return create_model(name, __config__=ConfigDict(extra="forbid", title=workflow.title), **fields)


USER = Option("user", "str", None, "Learner name or key; progress is tracked across sessions by it.")

_found: dict[str, Workflow] | None = None
_extra: list[tuple[Path, bool]] = []
"""Added spec folders and files (path, is_folder), in the order they were added."""


def _folders() -> list[Path]:
    return sorted(p for p in WORKFLOWS_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def packaged_names() -> list[str]:
    """The packaged workflows' names, from the folder names alone (cheap: imports nothing; for
    CLI help). `workflow_names()` is the full, ordered list."""
    return [p.name for p in _folders()]


def _coded(folder: Path) -> Workflow:
    module = importlib.import_module(f"graph.workflows.{folder.name}.builder")
    workflow: Workflow = module.WORKFLOW
    return replace(workflow, source=workflow.source or str(module.__file__))


def _spec(path: Path) -> Workflow:
    from graph.spec.compiler import compile_spec
    from graph.spec.loader import load_spec

    return compile_spec(load_spec(path), source=str(path))


def _discover() -> dict[str, Workflow]:
    found: list[Workflow] = []
    for folder in _folders():
        if (folder / "builder.py").is_file():
            found.append(_coded(folder))
        else:
            found.extend(_spec(path) for path in sorted(folder.glob("*.yaml")))
    for path, is_folder in _extra:
        for file in sorted(path.glob("*.y*ml")) if is_folder else [path]:
            try:
                found.append(_spec(file))
            except ValueError as exc:  # a designer's broken spec must not stop the others
                if not is_folder:
                    raise
                log.error("workflow spec skipped: %s", exc)
    by_name: dict[str, Workflow] = {}
    for workflow in found:
        if workflow.name in by_name and not workflow.source.startswith(str(WORKFLOWS_DIR)):
            earlier = by_name[workflow.name].source
            log.warning("workflow %r from %s replaces %s", workflow.name, workflow.source, earlier)
        by_name[workflow.name] = workflow
    return dict(sorted(by_name.items(), key=lambda kv: (kv[1].order, kv[0])))


def _workflows() -> dict[str, Workflow]:
    global _found
    if _found is None:
        _found = _discover()
    return _found


def add_spec_dir(path: Path | str) -> None:
    """Also offer every spec (`*.yaml`) in this folder; a broken one is logged and skipped."""
    global _found
    folder = Path(path)
    if folder.is_dir() and (folder, True) not in _extra:
        _extra.append((folder, True))
        _found = None


def add_spec_file(path: Path | str) -> Workflow:
    """Offer the spec in this file (it replaces a workflow of the same name); SpecError if broken."""
    global _found
    file = Path(path)
    workflow = _spec(file)
    if (file, False) not in _extra:
        _extra.append((file, False))
    _found = None
    return workflow


@contextmanager
def overlay(workflow: Workflow) -> Iterator[Workflow]:
    """Offer `workflow` (by its name) inside the block only, e.g. to try a spec file."""
    found = _workflows()
    before = found.get(workflow.name)
    found[workflow.name] = workflow
    try:
        yield workflow
    finally:
        if before is None:
            found.pop(workflow.name, None)
        else:
            found[workflow.name] = before


def spec_names() -> list[str]:
    """The spec workflows among the registered ones."""
    return [w.name for w in _workflows().values() if w.spec is not None]


def list_workflows() -> list[dict[str, Any]]:
    return [w.as_dict() for w in _workflows().values()]


def workflow_names() -> list[str]:
    return list(_workflows())


def get_workflow(name: str) -> Workflow:
    try:
        return _workflows()[name]
    except KeyError:
        raise UnknownWorkflow(f"unknown workflow {name!r} (available: {', '.join(_workflows())})") from None
