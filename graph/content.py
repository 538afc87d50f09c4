"""Load designer content (YAML files next to each workflow) and validate it with pydantic on load.

A broken entry raises `ContentError` naming the file, the entry (index and id) and its line, so a
content designer can fix it without reading Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ContentError(ValueError):
    """A content file is missing, not YAML, or has an entry that fails validation."""


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the 1-based line of every mapping as `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_entries(path: Path, model: type[M], *, key: str | None = None) -> list[M]:
    """Read a YAML file holding a list of entries (or a mapping whose `key` is that list) and
    validate each entry as `model`. Raises ContentError naming file, entry and line."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except OSError as exc:
        raise ContentError(f"{path}: cannot read content file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML ({exc})") from exc
    entries = raw.get(key) if key and isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise ContentError(f"{path}: expected a list of entries{f' under {key!r}' if key else ''}")
    out: list[M] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
        ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
        try:
            item = model.model_validate(_strip_lines(entry))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}" for err in exc.errors()
            )
            raise ContentError(f"{path}: entry #{index + 1} (id {ident!r}, line {line}): {problems}") from exc
        item_id = getattr(item, "id", None)
        if item_id is not None:
            if item_id in seen:
                raise ContentError(f"{path}: entry #{index + 1} (line {line}): duplicate id {item_id!r}")
            seen.add(item_id)
        out.append(item)
    return out


def load_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML mapping (no per-entry validation); ContentError on any problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path}: cannot read content file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return raw


def files(directory: Path, pattern: str = "*.yaml") -> Sequence[Path]:
    return sorted(directory.glob(pattern))
