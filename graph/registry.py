"""The workflows this brain offers, their options, and option validation.

list_workflows() -> [{name, title, description, options: [{name, type, choices?, default, min?, max?, help}],
                      schema: the JSON Schema of the options model (what the page's form is built from)}]
get_workflow(name) -> Workflow            # UnknownWorkflow for an unknown name
get_workflow(name).validate(options)      # through its pydantic `options_model`; BadOption when bad
add_spec_dir(path) / add_spec_file(path)  # spec workflows from a designer's folder or file

Workflows are found, not listed: every folder under graph/workflows/ with a `builder.py` is a coded
workflow (its `WORKFLOW`); every other folder's `*.yaml` files are workflow specs (graph.spec),
compiled at load. Specs from `add_spec_dir` (the `workflows_dir` setting) join them at start.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails, PydanticCustomError

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
        """The option as a pydantic field type: it validates the option, and its JSON Schema is what
        the page's form renders. Input is taken as people type it: choices in any case, numbers as
        digits, text stripped (blank is no value)."""
        if self.type == "choice":
            choices = tuple(self.choices or ())
            pick = BeforeValidator(functools.partial(_choice, choices))
            return Annotated[Literal.__getitem__(choices), pick]
        if self.type == "int":
            return Annotated[int, Field(ge=self.min, le=self.max), BeforeValidator(_whole_number)]
        return Annotated[Annotated[str, Field(max_length=128)] | None, BeforeValidator(_text)]


def _choice(choices: tuple[str, ...], value: Any) -> Any:
    text = value.strip().lower() if isinstance(value, str) else None
    return next((c for c in choices if c.lower() == text), value)


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool):  # True is not 1 here
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value.strip() if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return (value.strip() or None) if isinstance(value, str) else value


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
    word_timing: bool = True
    """Spoken turns are transcribed with word timestamps and probabilities (`UserTurn.words`: the
    word gaps and unclear words of `graph.fluency`, read-aloud scoring). They double the cost of
    each Whisper decode (tiny.en, 2 cores: median 319-356 ms a turn with, 164-197 ms without), so a
    workflow whose nodes use none of that may turn them off; pauses then come from the VAD alone.
    The cost: a faster decode hands a turn on sooner after the 480 ms silence, so a 1 s pause
    mid-sentence splits the turn more often. With them off, the interview heard JFK's "my fellow
    Americans … ask not … what your country" as three turns (the e2e tests), so every built-in
    workflow keeps them."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "options": [o.as_dict() for o in self.options],
            "schema": self.options_model.model_json_schema(),
        }

    @functools.cached_property
    def options_model(self) -> type[BaseModel]:
        """The options as a pydantic model (`<Name>Options`, unknown options forbidden): `validate`
        goes through it, and `/api/workflows` sends its JSON Schema as `schema` for the page's form."""
        fields: dict[str, Any] = {
            o.name: (o.annotation(), Field(default=o.default, description=o.help)) for o in self.options
        }
        name = "".join(part.capitalize() for part in self.name.replace("-", "_").split("_")) + "Options"
        return create_model(name, __config__=ConfigDict(extra="forbid", title=self.title), **fields)

    def validate(self, options: Mapping[str, Any] | None) -> dict[str, Any]:
        """Options with defaults filled in (null is no value); BadOption names the workflow, the
        option and what is wrong with it."""
        given = {k: v for k, v in (options or {}).items() if v is not None}
        try:
            return self.options_model.model_validate(given).model_dump()
        except ValidationError as exc:
            raise BadOption(self._problem(exc.errors()[0])) from None

    def _problem(self, error: ErrorDetails) -> str:
        name = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            known = ", ".join(o.name for o in self.options)
            return f"workflow {self.name!r} has no option {name!r} (options: {known})"
        message = error["msg"][:1].lower() + error["msg"][1:]
        given = repr(error["input"])
        given = given if len(given) <= 40 else given[:37] + "..."
        return f"workflow {self.name!r}: option {name!r}: {message}, got {given}"


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
