"""The interview graph.

START ─route_entry─┬─ greet ─→ END                 (the interview introduced; "are you ready?")
                   ├─ reask ─→ END                 (empty / nonsense answer)
                   ├─ understand ─route_act─┬─ before question 1 (phase ready_check), route_ready:
                   │                        │    begin ─→ select_question ─→ ask_question ─→ END (ready)
                   │                        │    check_ready ─→ END   (not yet: asked again)  | wrap_up
                   │                        ├─ evaluate_answer   (an answer: the only act scored)
                   │                        ├─ answer_candidate ─→ END  (a question to the interviewer)
                   │                        ├─ rephrase_question ─→ END (repeat / rephrase)
                   │                        ├─ skip_question ─route_after_skip─→ END | select_question
                   │                        ├─ take_time ─→ END          (thinking aloud)
                   │                        ├─ acknowledge ─→ END        (small talk, readiness)
                   │                        └─ wrap_up                   (asked to stop)
                   ├─ evaluate_answer ─route_after_evaluation─┬─ follow_up ─→ END
                   │                                          ├─ select_question
                   │                                          └─ wrap_up ─→ END
                   ├─ select_question              (the last question went unheard)
                   ├─ welcome_back ─route_resume─→ END | select_question
                   ├─ wrap_up                      (finish requested)
                   └─ closed ─→ END                (turn after the end)

With a tool-calling model (Context.tool_model) answer_candidate and evaluate_answer are agent nodes:
their model's tool calls go through tools_condition to the ToolNode `tools` and back_to_caller:

    answer_candidate ─tools_condition─→ tools ─back_to_caller─→ answer_candidate ─→ END
    evaluate_answer ─route_evaluated─→ tools ─back_to_caller─→ evaluate_answer ─route_after_evaluation─→ …
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from langgraph.prebuilt import tools_condition

from graph.acts import act_of, understand
from graph.registry import USER, Option, Workflow
from graph.routing import route_lifecycle, turn_unusable
from graph.state import InterviewState
from graph.wiring import replies, routed, with_tools, workflow_graph
from graph.workflows.interview.bank import ROLES
from graph.workflows.interview.nodes import (
    MAX_FOLLOW_UPS,
    ask_question,
    evaluate_answer,
    follow_up,
    greet,
    next_missing,
    repair_unheard,
    select_question,
    welcome_back,
    wrap_up,
)
from graph.workflows.interview.readiness import PHASE as READY_CHECK
from graph.workflows.interview.readiness import begin, check_ready, route_ready
from graph.workflows.interview.tools import TOOLS
from graph.workflows.interview.turns import (
    acknowledge,
    answer_candidate,
    rephrase_question,
    skip_question,
    take_time,
)


def route_entry(
    state: InterviewState,
) -> Literal[
    "greet", "welcome_back", "wrap_up", "closed", "select_question", "reask", "understand", "follow_up"
]:
    if (step := route_lifecycle(state)) is not None:
        return step
    phase = state.get("phase", "new")
    if phase in ("greeted", "next_question", "asking"):
        return "select_question"
    if phase == "evaluated":  # the node after the evaluation was cut off: take that route again
        return route_after_evaluation(state)
    if turn_unusable(state):
        return "reask"
    return "understand"


_BY_ACT = {"question": "answer_candidate", "clarify": "rephrase_question", "pass": "skip_question",
           "thinking": "take_time", "smalltalk": "acknowledge", "control": "acknowledge"}


def route_act(
    state: InterviewState,
) -> Literal["evaluate_answer", "answer_candidate", "rephrase_question", "skip_question", "take_time",
             "acknowledge", "wrap_up", "begin", "check_ready"]:
    """Only answers are scored; every other act gets its own reply and the question index holds.
    Before question 1 (the readiness turn) nothing is scored: `route_ready` decides."""
    if state.get("phase") == READY_CHECK:
        return route_ready(state)
    kind, detail = act_of(state)
    if kind == "control" and detail == "stop":
        return "wrap_up"
    return _BY_ACT.get(kind, "evaluate_answer")  # type: ignore[return-value]


def route_after_skip(state: InterviewState) -> Literal["select_question", "wrap_up", "__end__"]:
    if state.get("phase") != "skipped":
        return "__end__"  # a hint was given: the question stays
    return "select_question" if state.get("question_index", 0) < state.get("question_count", 0) else "wrap_up"


def route_after_evaluation(state: InterviewState) -> Literal["follow_up", "select_question", "wrap_up"]:
    substantive = len(" ".join(state.get("answer_parts", [])).split()) >= 5
    if (
        substantive
        and state.get("follow_ups_asked", 0) < state.get("options", {}).get("follow_ups", MAX_FOLLOW_UPS)
        and next_missing(state)
    ):
        return "follow_up"
    if state.get("question_index", 0) < state.get("question_count", 0):
        return "select_question"
    return "wrap_up"


def route_evaluated(state: InterviewState) -> Literal["tools", "follow_up", "select_question", "wrap_up"]:
    """After evaluate_answer: to the ToolNode when its model called score_answer, else on."""
    return "tools" if tools_condition(dict(state)) == "tools" else route_after_evaluation(state)


def route_selected(state: InterviewState) -> Literal["ask_question", "wrap_up"]:
    return "wrap_up" if state.get("phase") == "exhausted" else "ask_question"


def route_resume(state: InterviewState) -> Literal["select_question", "__end__"]:
    return "select_question" if state.get("phase") in ("greeted", "next_question", "asking") else "__end__"


builder = workflow_graph(InterviewState, route_entry)
routed(builder, understand, route_act)
builder.add_node(begin)
builder.add_edge("begin", "select_question")
routed(builder, select_question, route_selected)
routed(builder, skip_question, route_after_skip)
routed(builder, answer_candidate, tools_condition)
routed(builder, evaluate_answer, route_evaluated)
with_tools(builder, TOOLS, "answer_candidate", "evaluate_answer")
routed(builder, welcome_back, route_resume)
replies(builder, greet, ask_question, rephrase_question, take_time, acknowledge, check_ready, follow_up)
replies(builder, wrap_up)

graph = builder.compile()
"""For `langgraph dev` / diagrams only; the app compiles `builder` with its own checkpointer."""


def _view(state: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "question_index": state.get("question_index", 0),
        "question_count": state.get("question_count", state.get("options", {}).get("questions", 0)),
        "follow_ups_asked": state.get("follow_ups_asked", 0),
        **({"act": state["act"]["kind"]} if state.get("act") else {}),
    }


WORKFLOW = Workflow(
    name="interview",
    title="Mock job interview",
    description="A coach asks interview questions for your role, follows up on missing details "
    "(STAR, examples, numbers) and scores each answer; a report with scores and tips at the end.",
    options=(
        Option("role", "choice", "behavioural", "Role the interview is for.", choices=ROLES),
        Option("seniority", "choice", "mid", "Seniority level.", choices=("junior", "mid", "senior")),
        Option("questions", "int", 3, "Number of main questions.", min=1, max=10),
        Option("follow_ups", "int", 1, "Follow-up questions per main question at most.", min=0, max=2),
        USER,
    ),
    builder=builder,
    order=10,
    view=_view,
    repair=repair_unheard,
)
