"""Graph state shared by every workflow, plus each workflow's own fields.

Each `reply` runs the graph once from START: the run's input sets `event` (what happened) and, for
a user turn, adds the HumanMessage; `route_entry` picks the first node from `event` and `phase`.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypedDict, TypeVar

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

Event = Literal["opening", "resume", "turn", "finish"]

InterviewPhase = Literal[
    "new",
    "ready_check",
    "greeted",
    "next_question",
    "asking",
    "awaiting_answer",
    "evaluated",
    "awaiting_follow_up",
    "exhausted",
    "done",
]
EnglishPhase = Literal["new", "greeted", "talking", "analyzed", "reading", "done"]
SpecPhase = Literal[
    "new",
    "asking",
    "confirming",
    "unheard",
    "recorded",
    "invalid",
    "confirm",
    "not_confirmed",
    "declined",
    "repeat",
    "done",
]
PhaseT = TypeVar("PhaseT", bound=str)


def add_counts(left: dict[str, int] | None, right: dict[str, int] | None) -> dict[str, int]:
    """Reducer: counts are added key by key."""
    total = dict(left or {})
    for key, value in (right or {}).items():
        total[key] = total.get(key, 0) + int(value)
    return total


class ConversationState(TypedDict, Generic[PhaseT], total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    event: Event
    """What started this run (set by the responder's input)."""
    phase: PhaseT
    """Where the workflow is: "new", then its own phases (a Literal per workflow), finally "done"."""
    turn_id: str | None
    fluency: dict[str, Any] | None
    """Fluency metrics of the current user turn (graph.fluency.fluency_metrics)."""
    options: dict[str, Any]
    """Validated workflow options (also in the Context; kept here so a resume can rebuild it)."""
    asked_text: str
    """The question sentence the agent last spoke (used to repair state after a barge-in)."""
    reasks: int
    """Consecutive unusable user turns (empty / nonsense)."""
    summary: dict[str, Any] | None
    """The final report once phase is "done"."""
    spoken_by: Annotated[dict[str, int], add_counts]
    """Sentences the agent spoke in this session by who wrote them: {"model": n, "template": m}
    (graph.conversation adds each run's `Say.source` counts)."""
    act: dict[str, Any] | None
    """The dialogue act of the last user turn (tools.acts.Act.as_dict: kind, detail, confidence,
    source, question), set by graph.acts.understand before the workflow acts on the turn."""


class InterviewState(ConversationState[InterviewPhase], total=False):
    question_index: int
    """How many questions have been asked (1-based index of the current one)."""
    question_count: int
    current_question: dict[str, Any] | None
    asked_ids: list[str]
    follow_ups_asked: int
    answer_parts: list[str]
    """The answer to the current question so far (first answer, then follow-up answers)."""
    evaluations: list[dict[str, Any]]
    """One evaluation event per question (a follow-up answer revises the question's entry)."""
    progress: dict[str, Any] | None
    """storage.get_progress of the learner at the start (earlier sessions), when known."""
    hinted_ids: list[str]
    """Questions the candidate passed on once (they got a hint)."""
    skipped: list[dict[str, Any]]
    """Questions skipped after a second pass: {question_index, question_id, question}; never scored."""
    ready_ack: str
    """What question 1 is prefixed with, acknowledging the readiness turn ("Thanks, good to know.")."""


class EnglishState(ConversationState[EnglishPhase], total=False):
    level: str
    turn_index: int
    """Learner turns taken so far."""
    turns: int
    signal: int
    """Running sum of difficulty signals since the last level change."""
    level_changes: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    vocabulary: list[str]
    prompt_ids: list[str]
    word_counts: list[int]
    progress: list[dict[str, Any]]
    reading: dict[str, Any]
    """Read-aloud exercise: the sentence being read ({id, text, retried})."""
    readings: list[dict[str, Any]]
    """Read-aloud exercise: the evaluation of every reading so far."""
    simplified: bool
    """The learner asked for simpler words: from then on the level never rises by itself."""
    topic: str
    """The topic now (the option's, until the learner asks for another one)."""
    phrases_taught: list[str]
    """Ids of the phrases find_phrases has shown the learner (not shown again)."""
