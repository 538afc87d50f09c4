"""`GraphResponder`: the LangGraph brain behind `voice_io.protocols.Responder` (open and look up).

One conversation = one LangGraph thread (checkpointed by the app's checkpointer). `open` starts a
thread (options validated, session row created) or finds a stored one (session row and checkpoint
must agree on the workflow) and hands back a `graph.conversation.GraphConversation`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.conversation import GraphConversation
from graph.journal import Journal
from graph.llm import LLMStatus
from graph.recorder import Recorder
from graph.registry import Workflow, get_workflow, workflow_names
from voice_io.errors import UnknownThread


@dataclass(kw_only=True)
class GraphResponder:
    """Implements `voice_io.protocols.Responder` with the workflows of `graph.registry`."""

    chat_model: BaseChatModel | None
    checkpointer: BaseCheckpointSaver
    recorder: Recorder | None = None
    llm_timeout_s: float = 20.0
    first_sentence_s: float = 1.0
    pace_to_speech: bool = True
    llm_status: LLMStatus | None = None
    judge_model: BaseChatModel | None = None
    tool_model: BaseChatModel | None = None
    """A tool-calling model for the workflows' agent nodes (see `Context.tool_model`)."""
    _graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]] = field(
        default_factory=dict, init=False, repr=False
    )

    def workflows(self) -> Sequence[str]:
        return workflow_names()

    def compiled(self, workflow: str) -> CompiledStateGraph[Any, Any, Any, Any]:
        if workflow not in self._graphs:
            spec = get_workflow(workflow)
            self._graphs[workflow] = spec.builder.compile(checkpointer=self.checkpointer, name=workflow)
        return self._graphs[workflow]

    async def open(
        self,
        *,
        workflow: str,
        thread_id: str | None,
        options: Mapping[str, Any],
        owner: str | None = None,
    ) -> GraphConversation:
        spec = get_workflow(workflow)
        if thread_id is None:
            validated = spec.validate(options)
            thread_id = secrets.token_urlsafe(16)
            learner = validated.get("user") or owner or "anonymous"
            if self.recorder is not None:
                await self.recorder.create_session(
                    thread_id=thread_id, workflow=workflow, options=validated, owner=owner, learner=learner
                )
            return self._conversation(spec, thread_id, validated, learner, resumed=False, values={})
        row = await self._session_row(workflow, thread_id)
        config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        snapshot = await self.compiled(workflow).aget_state(config)
        if not snapshot.values:
            raise UnknownThread(f"no saved conversation for thread_id {thread_id!r}")
        values = dict(snapshot.values)
        stored = (row or {}).get("options") or values.get("options") or {}
        validated = spec.validate({k: v for k, v in stored.items() if k in {o.name for o in spec.options}})
        learner = (row or {}).get("learner") or validated.get("user") or owner or "anonymous"
        conversation = self._conversation(spec, thread_id, validated, learner, resumed=True, values=values)
        await conversation.settle()  # a turn a crash cut off: kept as said, in rows and checkpoint
        return conversation

    async def _session_row(self, workflow: str, thread_id: str) -> Mapping[str, Any] | None:
        """The stored session of `thread_id` (None without a recorder); UnknownThread when it is
        missing or belongs to another workflow."""
        if self.recorder is None:
            return None
        row = await self.recorder.get_session(thread_id=thread_id)
        if row is None:
            raise UnknownThread(f"no conversation with thread_id {thread_id!r}")
        if row.get("workflow") not in (None, workflow):
            raise UnknownThread(
                f"thread {thread_id!r} belongs to workflow {row['workflow']!r}, not {workflow!r}"
            )
        return row

    def _conversation(
        self,
        spec: Workflow,
        thread_id: str,
        options: dict[str, Any],
        learner: str,
        *,
        resumed: bool,
        values: dict[str, Any],
    ) -> GraphConversation:
        context = Context(
            options=options,
            chat_model=self.chat_model,
            recorder=self.recorder,
            learner=learner,
            llm_timeout_s=self.llm_timeout_s,
            first_sentence_s=self.first_sentence_s,
            pace_to_speech=self.pace_to_speech,
            thread_id=thread_id,
            llm_status=self.llm_status,
            judge_model=self.judge_model,
            tool_model=self.tool_model,
        )
        return GraphConversation(
            spec=spec,
            graph=self.compiled(spec.name),
            context=context,
            journal=Journal(thread_id=thread_id, recorder=self.recorder),
            resumed=resumed,
            values=values,
        )
