"""Tools, one definition for both paths: a model that chooses them, or a node that calls them.

Each tool is a LangChain tool (`@tool(response_format="content_and_artifact")`) that takes a
`ToolRuntime` (the run's `Context`, the graph state, the stream writer): the model sees only its
own arguments; the content is what the model reads, the artifact what the graph keeps.

With a tool-calling model (`Context.tool_model`) an agent node asks it with the workflow's tools
bound (`agent_step`); `tools_condition` routes a tool call to the workflow's `ToolNode`
(`tool_node`), and `back_to_caller` returns the results to the node that asked. Without one (the
embedded SmolLM2, the rules brain) nodes run the same tool with `call_directly`.

Both paths go through `recorded`: a `ToolRecord` "start", then "end" with the artifact or "error"
plus a non-fatal `tool_failed` warning, and always a `ToolMessage`, so no call is left dangling.
A tool that raises, arguments the model got wrong, an unknown tool or a model that fails or
times out never loses the turn: the node falls back to what it does without a model.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest, ToolRuntime
from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.context import Context, context_of
from graph.notices import ToolRecord
from voice_io.events import WarningEvent

log = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 3
"""Model steps with tool calls per turn; past them the model must answer with what it has."""

Execute = Callable[[ToolCallRequest], Awaitable[ToolMessage | Command]]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


async def recorded(request: ToolCallRequest, execute: Execute) -> ToolMessage | Command:
    """Run one tool call with its records (the `ToolNode` wrapper, and the direct path's)."""
    call, write = request.tool_call, request.runtime.stream_writer
    name, args = call["name"], dict(call.get("args") or {})
    write(ToolRecord(name, "start", args=args))
    try:
        out = await execute(request)
    except Exception as exc:  # a tool error ToolNode did not turn into a message
        log.exception("tool %s failed", name)
        out = ToolMessage(f"Error: {type(exc).__name__}: {exc}", tool_call_id=call["id"] or "", name=name,
                          status="error")
    if isinstance(out, ToolMessage) and out.status == "error":
        error = _short(str(out.content).removeprefix("Error: ").split("\n Please fix")[0])
        log.warning("tool %s failed: %s", name, error)
        write(ToolRecord(name, "error", args=args, error=error))
        write(WarningEvent(code="tool_failed", message=f"{name} failed: {error}"))
    else:
        result = out.artifact if isinstance(out, ToolMessage) and out.artifact is not None else (
            out.content if isinstance(out, ToolMessage) else None)
        write(ToolRecord(name, "end", args=args, result=result))
    return out


def tool_errors(error: Exception) -> str:
    """What the model reads when a call fails (bad arguments or a tool that raised)."""
    return f"Error: {type(error).__name__}: {_short(str(error), 400)}\n Please fix your mistakes."


def tool_node(tools: Sequence[BaseTool]) -> ToolNode:
    """The workflow's `ToolNode`: every call recorded, every failure an error ToolMessage."""
    return ToolNode(list(tools), awrap_tool_call=recorded, handle_tool_errors=tool_errors)


async def call_directly(
    runtime: Runtime[Context], state: Any, tool: BaseTool, args: dict[str, Any]
) -> tuple[Any, list[BaseMessage]]:
    """A node runs `tool` itself: (its artifact, or None when it failed; [the call, its ToolMessage])."""
    call_id = f"call_{uuid.uuid4().hex[:12]}"
    call = ToolCall(name=tool.name, args=args, id=call_id, type="tool_call")
    tool_runtime = ToolRuntime(state=state, context=runtime.context, config=_config(), tool_call_id=call_id,
                               stream_writer=runtime.stream_writer, store=runtime.store, tools=[tool])

    async def execute(request: ToolCallRequest) -> ToolMessage:
        try:
            reply = await tool.ainvoke({**call, "args": {**args, "runtime": tool_runtime}})
            return reply if isinstance(reply, ToolMessage) else ToolMessage(
                str(reply), tool_call_id=call_id, name=tool.name, artifact=reply)
        except Exception as exc:
            return ToolMessage(tool_errors(exc), tool_call_id=call_id, name=tool.name, status="error")

    request = ToolCallRequest(tool_call=call, tool=tool, state=state, runtime=tool_runtime)  # type: ignore[arg-type]
    reply = await recorded(request, execute)
    assert isinstance(reply, ToolMessage)
    result = reply.artifact if reply.status != "error" else None
    return result, [AIMessage(content="", tool_calls=[call]), reply]


async def earlier_sessions(context: Context, workflow: str) -> dict[str, Any] | None:
    """The learner's earlier sessions of `workflow` through the recorder (None without one or for
    "anonymous"); a storage failure raises, so a tool reports it."""
    if context.recorder is None or context.learner in ("", "anonymous"):
        return None
    return dict(await context.recorder.get_progress(learner=context.learner, workflow=workflow,
                                                    exclude_thread_id=context.thread_id))


def _config() -> Any:
    try:
        return get_config()
    except RuntimeError:  # outside a graph run
        return {}


# --------------------------------------------------------------------------- the agent loop


def turn_loop(state: Any) -> list[BaseMessage]:
    """This turn's agent messages: the model's tool calls and their results, after the user's turn."""
    messages = list(state.get("messages") or [])
    humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    start = humans[-1] + 1 if humans else 0
    loop = messages[start:]
    asked = {c["id"] for m in loop if isinstance(m, AIMessage) and m.name == AGENT for c in m.tool_calls}
    return [m for m in loop if (isinstance(m, AIMessage) and m.name == AGENT and m.tool_calls)
            or (isinstance(m, ToolMessage) and m.tool_call_id in asked)]


AGENT = "agent"
"""`AIMessage.name` of the model's tool calls (their caller is in `response_metadata["node"]`)."""


def tool_results(state: Any, name: str) -> list[ToolMessage]:
    """The results of this turn's calls to tool `name`, oldest first."""
    return [m for m in turn_loop(state) if isinstance(m, ToolMessage) and m.name == name]


def found(state: Any, name: str) -> list[Any]:
    """The items of this turn's successful `name` calls (tools whose artifact is a list)."""
    return [item for m in tool_results(state, name) if m.status != "error" for item in m.artifact or []]


def back_to_caller(state: Any) -> str:
    """After the `ToolNode`: back to the node whose model asked for the tools."""
    for message in reversed(state.get("messages") or []):
        if isinstance(message, AIMessage) and message.tool_calls:
            return str(message.response_metadata.get("node", ""))
    return ""


async def agent_step(
    runtime: Runtime[Context],
    state: Any,
    *,
    node: str,
    tools: Sequence[BaseTool],
    system: str,
    task: str,
    tool_choice: str | None = None,
) -> AIMessage | str | None:
    """One model step of `node`'s agent loop: the AIMessage asking for tools (route it with
    `tools_condition`), the final text, or None (no tool model, it failed or timed out: the node
    does what it does without a model). The model sees `system`, `task` and this turn's tool calls
    and results; after MAX_TOOL_ROUNDS rounds, or once `tool_choice`'s tool has answered, it gets no tools."""
    context = context_of(runtime)
    model = context.tool_model
    if model is None:
        return None
    loop = turn_loop(state)
    rounds = sum(isinstance(m, AIMessage) for m in loop)
    if tool_choice is not None and rounds:
        return None  # a forced call was made: its result (or error) is the node's to use
    messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(task), *loop]
    bound = model.bind_tools(list(tools), tool_choice=tool_choice) if rounds < MAX_TOOL_ROUNDS else model
    try:
        reply = await asyncio.wait_for(bound.ainvoke(messages), timeout=context.llm_timeout_s)
    except Exception as exc:  # a timeout, a dead server, a server without tool calling
        reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {_short(str(exc))}"
        log.warning("the tool model failed in %s: %s", node, reason)
        runtime.stream_writer(WarningEvent(code="llm_failed", message=f"the tool model {reason}; "
                                           "answered without it"))
        return None
    if not isinstance(reply, AIMessage):
        return None
    calls = [c for c in reply.tool_calls if c.get("id")]
    if calls:
        return AIMessage(content="", name=AGENT, tool_calls=calls, response_metadata={"node": node},
                         id=f"ai-tools-{uuid.uuid4().hex[:12]}")
    return spoken_text(reply.content if isinstance(reply.content, str) else "") or None


MAX_REPLY_WORDS = 60


def spoken_text(text: str) -> str:
    """The model's final answer as something to say: no markdown, at most MAX_REPLY_WORDS words,
    cut after the last full sentence within them."""
    words = re.sub(r"[*_#`>|]+", " ", text).split()
    if len(words) <= MAX_REPLY_WORDS:
        return " ".join(words)
    kept = " ".join(words[:MAX_REPLY_WORDS])
    end = max(kept.rfind(". "), kept.rfind("? "), kept.rfind("! "))
    return kept[: end + 1] if end > 0 else f"{kept}."
