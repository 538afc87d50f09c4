"""Understanding a user turn before a workflow acts on it: the `understand` node sets `act`.

The act comes from tools.acts.classify_act (cues, then meaning with the offline sentence encoder) in
a worker thread; when a capable LLM is configured (an OpenAI-compatible model other than the
embedded SmolLM2; the judge model when one is set) and a short turn would be diverted from scoring
by meaning alone (not by a cue), the model confirms the act with a JSON schema; its answer replaces
the embedded one only when well-formed and in time. Answers go straight on (no extra latency). The act is
visible in the `state` events (`act`), in LangGraph Studio (state field `act`) and, as the recorded
tool call `classify_turn` (not sent on the wire), in the transcript export.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from pydantic import BaseModel

from graph.context import Context, context_of
from graph.llm import EMBEDDED_MODEL
from graph.nodes import last_user_text
from graph.state import ConversationState
from tools.acts import ACTS, Act, classify_act

log = logging.getLogger(__name__)

LLM_ACT_TIMEOUT_S = 3.0

ACT_SYSTEM = (
    "You label what a user's turn in a spoken conversation is. The agent asked: {asked!r}. "
    "Acts: answer (an answer or part of one, even a weak one), question (the user asks the agent "
    "something), clarify (asks to repeat, rephrase or say it more simply), pass (doesn't know, skips), "
    "thinking (thinking aloud, no content yet), smalltalk (greeting, readiness, thanks), control (asks "
    "to stop, change the level or the topic)."
)


class ActVerdict(BaseModel):
    act: Literal["answer", "question", "clarify", "pass", "thinking", "smalltalk", "control"]
    detail: str = ""


def capable(model: BaseChatModel | None) -> bool:
    """A model worth asking: configured and not the embedded 135M model."""
    name = str(getattr(model, "model_name", "") or "")
    return model is not None and name != EMBEDDED_MODEL


async def _ask_model(model: BaseChatModel, text: str, asked: str) -> Act | None:
    try:
        structured = model.with_structured_output(ActVerdict, method="json_schema")
        prompt = [SystemMessage(ACT_SYSTEM.format(asked=asked[:300])), HumanMessage(text[:1500])]
        verdict = await asyncio.wait_for(structured.ainvoke(prompt), LLM_ACT_TIMEOUT_S)
    except Exception:
        log.warning("the LLM gave no usable dialogue act; keeping the embedded one", exc_info=True)
        return None
    if not isinstance(verdict, ActVerdict) or verdict.act not in ACTS:
        return None
    return Act(verdict.act, verdict.detail[:20], 0.8, "llm")


async def understand(state: ConversationState, runtime: Runtime[Context]) -> dict[str, Any]:
    text, asked = last_user_text(state), state.get("asked_text", "")
    context = context_of(runtime)
    act = await asyncio.to_thread(classify_act, text, asked=asked)
    model = context.judge_model or context.chat_model
    if act.source == "meaning" and act.kind != "answer" and capable(model) and model is not None:
        act = await _ask_model(model, text, asked) or act
    result = act.as_dict()
    if context.recorder is not None and context.thread_id:  # the transcript export lists it
        context.recorder.add_tool_call(thread_id=context.thread_id, turn_id=state.get("turn_id") or "",
                                       name="classify_turn", status="end", args={"text": text}, result=result)
    return {"act": result}


def act_of(state: ConversationState) -> tuple[str, str]:
    """(kind, detail) of the last turn's act; ("answer", "") when none was set."""
    act = state.get("act") or {}
    return str(act.get("kind", "answer")), str(act.get("detail", ""))
