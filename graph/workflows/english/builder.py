"""The English practice graph.

START ─route_entry─┬─ greet ─→ END                      (intro + first open question)
                   ├─ reask ─→ END                      (empty / nonsense turn)
                   ├─ analyze_turn ─route_after_analysis─┬─ respond ─→ END
                   │                                     └─ wrap_up ─→ END
                   ├─ welcome_back ─→ END
                   ├─ wrap_up                           (finish requested)
                   └─ closed ─→ END
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from graph.context import Context
from graph.nodes import closed, reask
from graph.registry import USER, Option, Workflow
from graph.routing import route_lifecycle, turn_unusable
from graph.state import EnglishState
from graph.workflows.english import prompts
from graph.workflows.english.content import LEVELS, TOPICS
from graph.workflows.english.nodes import analyze_turn, greet, respond, welcome_back, wrap_up


def route_entry(
    state: EnglishState,
) -> Literal["greet", "welcome_back", "wrap_up", "closed", "reask", "analyze_turn", "respond"]:
    if (step := route_lifecycle(state)) is not None:
        return step
    phase = state.get("phase", "new")
    if phase == "analyzed":  # the reply to the last turn was cut off: answer it now
        return route_after_analysis(state)
    if turn_unusable(state):
        return "reask"
    return "analyze_turn"


def route_after_analysis(state: EnglishState) -> Literal["respond", "wrap_up"]:
    return "wrap_up" if state.get("turn_index", 0) >= state.get("turns", 0) else "respond"


builder = StateGraph(EnglishState, context_schema=Context)
builder.add_node(greet)
builder.add_node(analyze_turn)
builder.add_node(respond)
builder.add_node(wrap_up)
builder.add_node(welcome_back)
builder.add_node(reask)
builder.add_node(closed)
builder.add_conditional_edges(START, route_entry)
builder.add_edge("greet", END)
builder.add_conditional_edges("analyze_turn", route_after_analysis)
builder.add_edge("respond", END)
builder.add_edge("wrap_up", END)
builder.add_edge("welcome_back", END)
builder.add_edge("reask", END)
builder.add_edge("closed", END)

graph = builder.compile()
"""For `langgraph dev` / diagrams only; the app compiles `builder` with its own checkpointer."""


def _view(state: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "turn_index": state.get("turn_index", 0),
        "turns": state.get("turns", state.get("options", {}).get("turns", 0)),
        "level": state.get("level", state.get("options", {}).get("level")),
    }


def _where(state: Mapping[str, Any]) -> str:
    return prompts.WELCOME_BACK_WHERE.format(
        index=state.get("turn_index", 0) + 1,
        count=state.get("turns", 0),
        topic=state.get("options", {}).get("topic", "anything"),
    )


WORKFLOW = Workflow(
    name="english",
    title="English speaking practice",
    description="A friendly conversation partner asks open questions on a topic, corrects mistakes "
    "gently or explicitly, adapts to your level and sums up what to practise.",
    options=(
        Option("level", "choice", "B1", "Your CEFR level.", choices=LEVELS),
        Option("topic", "choice", "daily life", "What to talk about.", choices=TOPICS),
        Option(
            "correction",
            "choice",
            "gentle",
            "gentle: recast in the reply; explicit: name the fix.",
            choices=("gentle", "explicit"),
        ),
        Option("turns", "int", 6, "Learner turns before the summary.", min=1, max=30),
        USER,
    ),
    builder=builder,
    order=20,
    view=_view,
    where=_where,
)
