"""The intake graph.

START ─route_entry─┬─ greet ─→ END                    (hello + first field)
                   ├─ reask ─→ END                    (empty / nonsense turn)
                   ├─ record_answer ─route_after_record─┬─ ask_field ─→ END  (next field, or re-ask)
                   │                                    └─ wrap_up ─→ END
                   ├─ welcome_back ─→ END
                   ├─ wrap_up                         (finish requested)
                   └─ closed ─→ END
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from graph.context import Context
from graph.nodes import closed, reask
from graph.registry import USER, Workflow
from graph.routing import route_lifecycle, turn_unusable
from graph.state import IntakeState
from graph.workflows.intake import prompts
from graph.workflows.intake.nodes import ask_field, greet, record_answer, welcome_back, wrap_up
from graph.workflows.intake.record import FIELD_IDS


def route_entry(
    state: IntakeState,
) -> Literal["greet", "welcome_back", "wrap_up", "closed", "reask", "record_answer", "ask_field"]:
    if (step := route_lifecycle(state)) is not None:
        return step
    phase = state.get("phase", "new")
    if phase in ("recorded", "invalid"):  # the question after the last answer was cut off
        return route_after_record(state)
    if turn_unusable(state):
        return "reask"
    return "record_answer"


def route_after_record(state: IntakeState) -> Literal["ask_field", "wrap_up"]:
    return "wrap_up" if state.get("field") is None else "ask_field"


builder = StateGraph(IntakeState, context_schema=Context)
builder.add_node(greet)
builder.add_node(record_answer)
builder.add_node(ask_field)
builder.add_node(wrap_up)
builder.add_node(welcome_back)
builder.add_node(reask)
builder.add_node(closed)
builder.add_conditional_edges(START, route_entry)
builder.add_edge("greet", END)
builder.add_conditional_edges("record_answer", route_after_record)
builder.add_edge("ask_field", END)
builder.add_edge("wrap_up", END)
builder.add_edge("welcome_back", END)
builder.add_edge("reask", END)
builder.add_edge("closed", END)

graph = builder.compile()
"""For `langgraph dev` / diagrams only; the app compiles `builder` with its own checkpointer."""


def _view(state: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "field": state.get("field"),
        "fields_done": len(state.get("record", {})),
        "fields": len(FIELD_IDS),
    }


def _where(state: Mapping[str, Any]) -> str:
    return prompts.WELCOME_BACK_WHERE.format(done=len(state.get("record", {})), count=len(FIELD_IDS))


WORKFLOW = Workflow(
    name="intake",
    title="Request intake",
    description="Takes down your name, the reason for your request, details and urgency, "
    "re-asking anything that is unclear, and reads the record back.",
    options=(USER,),
    builder=builder,
    view=_view,
    where=_where,
)
