"""Read a workflow spec file: YAML -> `WorkflowSpec`, or `SpecError` with file, line and a hint.

YAML is read with only `true` / `false` as booleans (YAML 1.2), so `yes`, `no` and `on` stay
words: a designer writes `authority: yes` and a user line `- no` and means the words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from graph.spec.schema import ChoiceItem, Example, OptionSpec, Outcome, Readback, Slot, Test, WorkflowSpec

_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (true / false only)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str
    message: str
    hint: str = ""

    def render(self, path: Path | str) -> str:
        at = f"{path}:{self.line}" if self.line else str(path)
        return f"{at}: {self.where + ': ' if self.where else ''}{self.message}" + (
            f"\n    hint: {self.hint}" if self.hint else ""
        )


class SpecError(ValueError):
    """A spec file that cannot be read or does not validate; `problems` has one entry per error."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.render(path) for p in problems))


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), node)
            if node is None:
                return None
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node


_MODELS: dict[str, type[BaseModel]] = {
    "slots": Slot,
    "options": OptionSpec,
    "outcomes": Outcome,
    "examples": Example,
    "readback": Readback,
}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose keys are valid at `loc` (for 'did you mean' hints)."""
    model: type[BaseModel] = WorkflowSpec
    if loc and loc[0] in _MODELS:
        model = _MODELS[loc[0]]
        if loc[0] == "slots" and "choices" in loc[2:3]:
            model = ChoiceItem
    return model


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _hint(error: Any) -> str:
    loc, kind = tuple(error["loc"]), error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, _keys(_model_at(loc[:-1])), n=1, cutoff=0.6)
        return (
            f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(_keys(_model_at(loc[:-1])))}"
        )
    if kind == "missing":
        return f"add `{loc[-1]}:` here"
    if kind == "literal_error":
        expected = re.findall(r"'([^']+)'", error["ctx"].get("expected", ""))
        close = difflib.get_close_matches(str(error.get("input")), expected, n=1, cutoff=0.5)
        return f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(expected)}"
    if kind == "string_pattern_mismatch":
        return "ids are lower case letters, digits and _, starting with a letter (e.g. start_date)"
    if kind == "value_error" and "condition on" in error["msg"]:
        return f"a test is a value, a list, or a mapping of {', '.join(_keys(Test))}"
    if kind == "value_error" and "does not name an earlier slot" in error["msg"]:
        return "ask_if looks only at slots asked before this one: fix the id or move this slot down"
    if kind == "value_error" and "does not name a slot" in error["msg"]:
        return "outcomes look at slot ids (or options.NAME); check the spelling"
    if kind == "value_error" and "is not something it can name" in error["msg"]:
        return "a {placeholder} names an earlier slot, an option, or (in readbacks) verdict / missing"
    return ""


def _line_of_message(root: yaml.Node | None, message: str) -> tuple[Any, ...]:
    """A cross-field error names a slot or an outcome; find that entry's place."""
    if match := re.search(r"slot (?:id )?'([a-z0-9_]+)'", message):
        key, field = "slots", ("id", match.group(1))
    elif match := re.search(r"outcome '([^']+)'", message):
        key, field = "outcomes", ("verdict", match.group(1))
    elif match := re.match(r"(readback|greeting|report)\b", message):
        return (match.group(1),)
    else:
        return ()
    entries = _node_at(root, (key,))
    for index, entry in enumerate(
        getattr(entries, "value", []) if isinstance(entries, yaml.SequenceNode) else []
    ):
        if isinstance(entry, yaml.MappingNode) and any(
            getattr(k, "value", None) == field[0] and getattr(v, "value", None) == field[1]
            for k, v in entry.value
        ):
            return (key, index)
    return (key,)


def parse_spec(text: str, path: Path | str = "<spec>") -> WorkflowSpec:
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SpecError(
            path,
            [
                Problem(
                    line,
                    "",
                    f"not valid YAML: {getattr(exc, 'problem', exc)}",
                    "check the indentation and quote text that contains ': '",
                )
            ],
        ) from None
    if not isinstance(data, dict):
        raise SpecError(
            path,
            [Problem(1, "", "a spec is a mapping (name:, title:, slots: ...)", "start with `name: my_flow`")],
        )
    try:
        return WorkflowSpec.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in ("list[str]",)))
            message = error["msg"].removeprefix("Value error, ")
            place = loc or _line_of_message(root, message)
            node = _node_at(root, place)
            line = node.start_mark.line + 1 if node is not None else None
            where = ".".join(str(p) for p in loc)
            problems.append(Problem(line, where, message, _hint({**error, "msg": message})))
        raise SpecError(path, problems) from None


def load_spec(path: Path | str) -> WorkflowSpec:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(path, [Problem(None, "", f"cannot read the file ({exc.strerror or exc})")]) from None
    return parse_spec(text, path)


def is_spec_file(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml") and path.is_file()
