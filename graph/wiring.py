"""The wiring every workflow graph shares, so that a builder names only its own steps.

    builder = workflow_graph(State, route_entry)   START ─route_entry─→ …; reask, closed ─→ END
    replies(builder, greet, take_time, ...)        each speaks one reply and ends the run
    routed(builder, understand, route_act)         a step whose router picks the next one
    with_tools(builder, TOOLS, "answer_learner")   the ToolNode `tools`, back to the agent node that
                                                   called it (which routes there by tools_condition)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph

from graph.context import Context
from graph.nodes import closed, reask
from graph.toolbox import back_to_caller, tool_node

Builder = StateGraph[Any, Any, Any, Any]


def workflow_graph(
    state_schema: type[Any], route_entry: Callable[..., Any], entries: Sequence[str] | None = None
) -> Builder:
    """A builder with the entry route (`entries`: its targets, where they cannot be read from its
    return type) and the lifecycle replies every workflow has: reask and closed."""
    builder: Builder = StateGraph(state_schema, context_schema=Context)
    builder.add_conditional_edges(START, route_entry, None if entries is None else list(entries))
    replies(builder, reask, closed)
    return builder


def replies(builder: Builder, *nodes: Callable[..., Any], **named: Callable[..., Any]) -> None:
    """Steps that speak one reply and end the run: the user's turn comes next."""
    for name, node in [*((node.__name__, node) for node in nodes), *named.items()]:
        builder.add_node(name, node)
        builder.add_edge(name, END)


def routed(
    builder: Builder,
    node: Callable[..., Any],
    router: Callable[..., Any],
    targets: Sequence[str] | None = None,
) -> None:
    """A step followed by what `router` returns."""
    builder.add_node(node)
    builder.add_conditional_edges(node.__name__, router, None if targets is None else list(targets))


def with_tools(builder: Builder, tools: Sequence[BaseTool], *callers: str) -> None:
    """The workflow's `ToolNode` and the way back from it to the agent node that asked."""
    builder.add_node("tools", tool_node(tools))
    builder.add_conditional_edges("tools", back_to_caller, list(callers))
