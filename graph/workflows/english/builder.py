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

from langgraph.graph import END
from langgraph.prebuilt import tools_condition

from graph.acts import act_of, understand
from graph.registry import USER, Option, Workflow
from graph.routing import route_lifecycle, turn_unusable
from graph.state import EnglishState
from graph.wiring import replies, routed, with_tools, workflow_graph
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


# the entry targets listed so that Studio draws them (a union of Literals is not read)
builder = workflow_graph(EnglishState, route_entry, [*get_args(Entry), *get_args(ReadingEntry)])
routed(builder, understand, route_act)
routed(builder, analyze_turn, route_after_analysis)
routed(builder, answer_learner, tools_condition)
with_tools(builder, TOOLS, "answer_learner")
replies(builder, greet, simplify, move_on, take_time, acknowledge, change_course, respond, welcome_back)
replies(builder, read_aloud.start_reading, read_aloud.resume_reading)
routed(builder, read_aloud.check_reading, read_aloud.after_reading, ["wrap_up", END])
replies(builder, wrap_up=read_aloud.wrap_up_or_finish(wrap_up))

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
