"""The English practice graph.

START ─route_entry─┬─ greet ─→ END                      (intro + first open question)
                   ├─ reask ─→ END                      (empty / nonsense turn)
                   ├─ understand ─route_act─┬─ analyze_turn   (an answer: the only act analysed)
                   │                        ├─ answer_learner ─→ END (a question to the partner)
                   │                        ├─ simplify ─→ END       (repeat / say it more simply)
                   │                        ├─ move_on ─→ END        (I don't know / pass)
                   │                        ├─ take_time ─→ END      (thinking aloud)
                   │                        ├─ acknowledge ─→ END    (small talk)
                   │                        ├─ change_course ─→ END  (easier / harder / other topic)
                   │                        └─ wrap_up               (asked to stop)
                   ├─ analyze_turn ─route_after_analysis─┬─ respond ─→ END
                   │                                     └─ wrap_up ─→ END
                   ├─ welcome_back ─→ END
                   ├─ wrap_up                           (finish requested)
                   ├─ closed ─→ END
                   └─ start_reading, resume_reading ─→ END; check_reading ─→ END or wrap_up
                                                        (option exercise: read aloud; read_aloud.py)

With a tool-calling model (Context.tool_model) answer_learner is an agent node: its model's tool
calls (find_phrases, learner_progress) go through tools_condition to the ToolNode `tools` and back:

    answer_learner ─tools_condition─→ tools ─back_to_caller─→ answer_learner ─→ END
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import tools_condition

from graph.acts import act_of, understand
from graph.context import Context
from graph.nodes import closed, reask
from graph.registry import USER, Option, Workflow
from graph.routing import route_lifecycle, turn_unusable
from graph.state import EnglishState
from graph.toolbox import back_to_caller, tool_node
from graph.workflows.english import read_aloud
from graph.workflows.english.content import LEVELS, TOPICS
from graph.workflows.english.nodes import analyze_turn, greet, respond, welcome_back, wrap_up
from graph.workflows.english.tools import TOOLS
from graph.workflows.english.turns import (
    acknowledge,
    answer_learner,
    change_course,
    move_on,
    simplify,
    take_time,
)

Entry = Literal["greet", "welcome_back", "wrap_up", "closed", "reask", "understand", "respond"]
ReadingEntry = Literal["start_reading", "resume_reading", "check_reading"]


def route_entry(state: EnglishState) -> Entry | ReadingEntry:
    if (step := route_lifecycle(state)) is not None:
        return read_aloud.entry_step(step, state)  # type: ignore[return-value]
    if read_aloud.is_reading(state):
        return "reask" if turn_unusable(state) else "check_reading"
    phase = state.get("phase", "new")
    if phase == "analyzed":  # the reply to the last turn was cut off: answer it now
        return route_after_analysis(state)
    if turn_unusable(state):
        return "reask"
    return "understand"


_BY_ACT = {"question": "answer_learner", "clarify": "simplify", "pass": "move_on", "thinking": "take_time",
           "smalltalk": "acknowledge", "control": "change_course"}


def route_act(
    state: EnglishState,
) -> Literal["analyze_turn", "answer_learner", "simplify", "move_on", "take_time", "acknowledge",
             "change_course", "wrap_up"]:
    """Only answers are analysed and counted; every other act gets its own reply."""
    kind, detail = act_of(state)
    if kind == "control" and detail == "stop":
        return "wrap_up"
    return _BY_ACT.get(kind, "analyze_turn")  # type: ignore[return-value]


def route_after_analysis(state: EnglishState) -> Literal["respond", "wrap_up"]:
    return "wrap_up" if state.get("turn_index", 0) >= state.get("turns", 0) else "respond"


builder = StateGraph(EnglishState, context_schema=Context)
builder.add_node(greet)
builder.add_node(understand)
builder.add_node(analyze_turn)
builder.add_node(answer_learner)
builder.add_conditional_edges("answer_learner", tools_condition)
builder.add_node("tools", tool_node(TOOLS))
builder.add_conditional_edges("tools", back_to_caller, ["answer_learner"])
for _node in (simplify, move_on, take_time, acknowledge, change_course):
    builder.add_node(_node)
    builder.add_edge(_node.__name__, END)
builder.add_node(respond)
builder.add_node("wrap_up", read_aloud.wrap_up_or_finish(wrap_up))
builder.add_node(welcome_back)
builder.add_node(reask)
builder.add_node(closed)
for node in read_aloud.NODES:
    builder.add_node(node)
builder.add_edge("start_reading", END)
builder.add_edge("resume_reading", END)
builder.add_conditional_edges("check_reading", read_aloud.after_reading, ["wrap_up", END])
# the targets listed so that Studio draws them (a union of Literals is not read)
builder.add_conditional_edges(START, route_entry, [*get_args(Entry), *get_args(ReadingEntry)])
builder.add_edge("greet", END)
builder.add_conditional_edges("understand", route_act)
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
        **({"act": state["act"]["kind"]} if state.get("act") else {}),
    }


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
        Option(
            "exercise",
            "choice",
            "conversation",
            "conversation: talk freely; read aloud: read sentences at your level and hear what to repeat.",
            choices=("conversation", read_aloud.EXERCISE),
        ),
        USER,
    ),
    builder=builder,
    order=20,
    view=_view,
)
