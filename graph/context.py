"""Per-session run context (`context_schema`): options and services, not checkpointed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from graph.llm import LLMStatus
from graph.recorder import Recorder


@dataclass
class Context:
    options: dict[str, Any] = field(default_factory=dict)
    """Validated workflow options."""
    chat_model: BaseChatModel | None = None
    """The phrasing model; None = rules brain (templates only)."""
    recorder: Recorder | None = None
    """App data (progress, stored content, the journal), or None (content from the packaged files)."""
    learner: str = "anonymous"
    llm_timeout_s: float = 20.0
    """Budget for one spoken LLM turn; past it the template speaks."""
    first_sentence_s: float = 1.0
    """The most the model's one sentence may take (the template's lead is already playing; the
    first sentence never waits on the model)."""
    pace_to_speech: bool = True
    """The model also gets no more than the estimated playing time of what is queued before its
    sentence (graph.speech); False: `first_sentence_s` flat (tests of the real model on busy machines)."""
    thread_id: str | None = None
    llm_status: LLMStatus | None = None
    """Live state of `chat_model` (down while its process restarts); None = not tracked."""
    judge_model: BaseChatModel | None = None
    """A capable model (tool calling, structured output) that grades answers with quoted evidence;
    None = the embedded evaluator grades alone (graph/workflows/interview/judge.py)."""
    tool_model: BaseChatModel | None = None
    """A model that calls tools: agent nodes bind their workflow's tools to it and run them through
    the workflow's ToolNode; None = nodes call the same tools directly (graph/toolbox.py)."""


_DEFAULT = Context()


def context_of(runtime: Any) -> Context:
    """The run's Context, or default options when the graph runs without one (`langgraph dev`)."""
    context = getattr(runtime, "context", None)
    return context if isinstance(context, Context) else _DEFAULT
