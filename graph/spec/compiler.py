"""Compile a `WorkflowSpec` into a registered `Workflow`: the same graph shape and lifecycle as the
coded workflows (greeting, resume, re-ask, barge-in repair, finish, report).

START ─route_entry─┬─ greet ─→ END                    (hello + first question)
                   ├─ reask ─→ END                    (empty / nonsense turn)
                   ├─ record_answer ─route_after_record─┬─ ask_slot ─→ END  (next, retry, confirm)
                   │                                    └─ wrap_up ─→ END
                   ├─ ask_slot                        (the question after the last answer was cut off)
                   ├─ welcome_back ─→ END
                   ├─ wrap_up                         (finish requested)
                   └─ closed ─→ END
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from graph.registry import USER, Option, Workflow
from graph.routing import route_lifecycle, turn_unusable, was_heard
from graph.spec.nodes import make_nodes
from graph.spec.report import counted
from graph.spec.schema import WorkflowSpec
from graph.spec.state import SpecState
from graph.wiring import replies, workflow_graph

AFTER_ANSWER = ("recorded", "invalid", "confirm", "not_confirmed", "repeat")
"""Phases left by record_answer: the next step is ask_slot (or wrap_up)."""


def route_entry(
    state: SpecState,
) -> Literal["greet", "welcome_back", "wrap_up", "closed", "reask", "record_answer", "ask_slot"]:
    if (step := route_lifecycle(state)) is not None:
        return step
    if state.get("phase") in AFTER_ANSWER:  # the question after the last answer was cut off
        return route_after_record(state)
    if turn_unusable(state):
        return "reask"
    return "record_answer"


def route_after_record(state: SpecState) -> Literal["ask_slot", "wrap_up"]:
    return "wrap_up" if state.get("field") is None else "ask_slot"


def repair(state: Mapping[str, Any], heard: str) -> dict[str, Any]:
    """After a barge-in: a question the user did not hear is not waiting for an answer. The next
    turn is still taken if it fits (people answer early), else the question is asked again,
    without counting a try. A cut-off read-back is read again."""
    if was_heard(state.get("asked_text", ""), heard):
        return {}
    if state.get("phase") == "asking":
        return {"phase": "unheard"}
    if state.get("phase") == "confirming":
        return {"phase": "confirm"}
    return {}


def _options(spec: WorkflowSpec) -> tuple[Option, ...]:
    declared = tuple(
        Option(
            o.name,
            o.type,
            o.default,
            o.help,
            choices=tuple(o.choices) if o.choices else None,
            min=o.min,
            max=o.max,
        )
        for o in spec.options
        if o.name != "user"
    )
    return (*declared, USER)


def compile_spec(spec: WorkflowSpec, *, source: str = "") -> Workflow:
    builder = workflow_graph(SpecState, route_entry)
    nodes: dict[str, Any] = make_nodes(spec)
    builder.add_node("record_answer", nodes.pop("record_answer"))
    builder.add_conditional_edges("record_answer", route_after_record)
    replies(builder, **nodes)  # greet, ask_slot, wrap_up, welcome_back

    def view(state: Mapping[str, Any]) -> dict[str, Any]:
        record, skipped = state.get("record", {}), state.get("skipped", [])
        return {
            "field": state.get("field"),
            "fields_done": len(record),
            "fields": counted(spec, record, skipped, state.get("options", {})),
        }

    return Workflow(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        options=_options(spec),
        builder=builder,
        view=view,
        repair=repair,
        order=spec.order,
        source=source,
        spec=spec,
    )
