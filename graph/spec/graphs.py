"""The spec workflows' compiled graphs as module attributes, for `langgraph dev` (langgraph.json
names `./graph/spec/graphs.py:<name>`; `voice-agent workflow sync` writes those lines)."""

from __future__ import annotations

from typing import Any

from graph.registry import get_workflow, spec_names


def _graph(name: str) -> Any:
    return get_workflow(name).builder.compile()


globals().update({name: _graph(name) for name in spec_names()})
