"""`GraphResponder`: the LangGraph brain behind `voice_io.protocols.Responder`.

One conversation = one LangGraph thread (checkpointed by the app's checkpointer). Each call
(`opening`, `reply`, `finish`) runs the workflow graph once from START with an `event` input;
`route_entry` picks the first node from that event and the state's `phase`.

Streaming: the graph is run with `astream(stream_mode=["custom", "updates"])`. Spoken nodes emit
each guarded sentence through the stream writer as soon as it is finished (`graph.speech.speak`),
which becomes a `Say`; `tool` / `evaluation` / `error` notices become `Notify`; every node update
becomes a `state` Notify. App-data writes (turns, tool calls, evaluations, reports) go through the
`writer` (a `storage.BackgroundWriter`: `submit(fn, **kwargs)` runs `fn(db=..., **kwargs)` off the
latency path; one is created per conversation when the app gives none) so they never delay speech.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.registry import Workflow, get_workflow, workflow_names
from voice_io.errors import UnknownThread
from voice_io.protocols import Finished, HistoryItem, Notify, ReplyEvent, Say, UserTurn

log = logging.getLogger(__name__)

STREAM_MODES: list[Any] = ["custom", "updates"]
REPAIR_NODE = "closed"
"""`as_node` for state repairs: a terminal node present in every workflow."""


def _fluency(turn: UserTurn) -> dict[str, Any] | None:
    """Fluency of a spoken turn (None for typed turns: pace and pauses need audio)."""
    if turn.source != "voice":
        return None
    try:
        from graph.fluency import fluency_metrics
    except ImportError:  # pragma: no cover - graph.fluency is written by the tools engineer
        return None
    try:
        return fluency_metrics(
            text=turn.text,
            words=turn.words,
            audio_s=turn.audio_s,
            pauses_s=turn.pauses_s,
            response_delay_s=turn.response_delay_s,
        )
    except Exception:
        log.exception("fluency_metrics failed for turn %s", turn.turn_id)
        return None


def history_of(messages: Sequence[Any]) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for message in messages:
        text = message.content if isinstance(message.content, str) else ""
        if isinstance(message, HumanMessage) and text.strip():
            items.append(HistoryItem(role="user", text=text))
        elif isinstance(message, AIMessage) and not message.tool_calls and text.strip():
            items.append(HistoryItem(role="agent", text=text))
    return items


class GraphResponder:
    """Implements `voice_io.protocols.Responder` with the workflows of `graph.registry`."""

    def __init__(
        self,
        *,
        chat_model: BaseChatModel | None,
        checkpointer: BaseCheckpointSaver,
        db: Any | None = None,
        writer: Any | None = None,
        llm_timeout_s: float = 20.0,
        first_sentence_s: float = 1.0,
    ) -> None:
        self.chat_model = chat_model
        self.first_sentence_s = first_sentence_s
        self.checkpointer = checkpointer
        self.db = db
        self.writer = writer
        self.llm_timeout_s = llm_timeout_s
        self._graphs: dict[str, CompiledStateGraph[Any, Any, Any, Any]] = {}

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
        graph = self.compiled(workflow)
        if thread_id is None:
            validated = spec.validate(options)
            thread_id = secrets.token_urlsafe(16)
            learner = validated.get("user") or owner or "anonymous"
            if self.db is not None:
                import storage

                await asyncio.to_thread(
                    storage.create_session,
                    db=self.db,
                    thread_id=thread_id,
                    workflow=workflow,
                    options=validated,
                    owner=owner,
                    learner=learner,
                )
            return GraphConversation(
                self, spec, graph, thread_id, validated, learner, resumed=False, values={}
            )
        row = None
        if self.db is not None:
            import storage

            row = await asyncio.to_thread(storage.get_session, db=self.db, thread_id=thread_id)
            if row is None:
                raise UnknownThread(f"no conversation with thread_id {thread_id!r}")
            if row.get("workflow") not in (None, workflow):
                raise UnknownThread(
                    f"thread {thread_id!r} belongs to workflow {row['workflow']!r}, not {workflow!r}"
                )
        config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        snapshot = await graph.aget_state(config)
        if not snapshot.values:
            raise UnknownThread(f"no saved conversation for thread_id {thread_id!r}")
        values = dict(snapshot.values)
        stored = (row or {}).get("options") or values.get("options") or {}
        validated = spec.validate({k: v for k, v in stored.items() if k in {o.name for o in spec.options}})
        learner = (row or {}).get("learner") or validated.get("user") or owner or "anonymous"
        return GraphConversation(
            self, spec, graph, thread_id, validated, learner, resumed=True, values=values
        )


class GraphConversation:
    """Implements `voice_io.protocols.Conversation` for one thread."""

    def __init__(
        self,
        responder: GraphResponder,
        spec: Workflow,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        thread_id: str,
        options: dict[str, Any],
        learner: str,
        *,
        resumed: bool,
        values: dict[str, Any],
    ) -> None:
        self.thread_id = thread_id
        self.workflow = spec.name
        self.resumed = resumed
        self.options = options
        self._responder = responder
        self._spec = spec
        self._graph = graph
        self._config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        self._context = Context(
            options=options,
            chat_model=responder.chat_model,
            db=responder.db,
            learner=learner,
            llm_timeout_s=responder.llm_timeout_s,
            first_sentence_s=responder.first_sentence_s,
            thread_id=thread_id,
        )
        self._values = values
        self._writer: Any = responder.writer
        self._own_writer = False
        self._turn_id = "opening"
        self._said: dict[str, list[str]] = {}
        """message id → sentences spoken in the latest run (in order)."""

    # ------------------------------------------------------------------ Conversation

    @property
    def values(self) -> dict[str, Any]:
        """The thread's state after the latest run."""
        return self._values

    def history(self) -> Sequence[HistoryItem]:
        return history_of(self._values.get("messages", []))

    async def opening(self) -> AsyncIterator[ReplyEvent]:
        self._turn_id = "opening"
        event = "resume" if self.resumed else "opening"
        async for item in self._run({"event": event, "turn_id": None, "options": self.options}):
            yield item

    async def reply(self, turn: UserTurn) -> AsyncIterator[ReplyEvent]:
        self._turn_id = turn.turn_id
        fluency = _fluency(turn)
        self._submit("add_turn", turn_id=turn.turn_id, role="user", text=turn.text, fluency=fluency)
        payload = {
            "event": "turn",
            "messages": [HumanMessage(content=turn.text, id=f"user-{turn.turn_id}")],
            "turn_id": turn.turn_id,
            "fluency": fluency,
        }
        async for item in self._run(payload):
            yield item

    async def finish(self) -> AsyncIterator[ReplyEvent]:
        self._turn_id = "finish"
        if self._values.get("phase") != "done":
            async for item in self._run({"event": "finish", "turn_id": None}):
                if isinstance(item, Finished):
                    continue  # yielded once, below
                yield item
        yield Finished(self._summary())

    async def record_heard(self, *, spoken: str, heard: str, interrupted: bool) -> None:
        snapshot = await self._graph.aget_state(self._config)
        values = dict(snapshot.values)
        messages = values.get("messages", [])
        by_id = {m.id: m for m in messages}
        fixes: list[Any] = []
        remaining = len(heard.split())
        for message_id, sentences in self._said.items():
            generated = " ".join(sentences)
            words = generated.split()
            take = min(len(words), remaining)
            remaining -= take
            heard_part = " ".join(words[:take]) if take < len(words) else generated
            existing = by_id.get(message_id)
            if existing is not None:
                if take == 0:
                    fixes.append(RemoveMessage(id=message_id))
                elif heard_part != existing.content or interrupted:
                    fixes.append(
                        AIMessage(
                            content=heard_part,
                            id=message_id,
                            additional_kwargs={
                                **existing.additional_kwargs,
                                "interrupted": take < len(words),
                                "generated": existing.content,
                            },
                        )
                    )
            elif take:  # the node was cancelled before it completed: keep what was heard
                fixes.append(
                    AIMessage(content=heard_part, id=message_id, additional_kwargs={"interrupted": True})
                )
        answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        for message in messages:
            for call in getattr(message, "tool_calls", None) or []:
                if call["id"] not in answered:
                    fixes.append(
                        ToolMessage(
                            content="cancelled: the user interrupted before the result was used",
                            tool_call_id=call["id"],
                            name=call["name"],
                            status="error",
                        )
                    )
        update: dict[str, Any] = dict(self._spec.repair(values, heard)) if interrupted else {}
        if fixes:
            update["messages"] = fixes
        if update and values:
            await self._graph.aupdate_state(self._config, update, as_node=REPAIR_NODE)
            self._values = dict((await self._graph.aget_state(self._config)).values)
        if spoken.strip():
            self._submit(
                "add_turn",
                turn_id=self._turn_id,
                role="agent",
                text=spoken,
                heard_text=heard,
                interrupted=interrupted,
            )

    async def close(self) -> None:
        if self._writer is None:
            return
        if self._own_writer:
            await self._writer.aclose()
        elif hasattr(self._writer, "drain"):
            await self._writer.drain()

    # ------------------------------------------------------------------ internals

    def _summary(self) -> dict[str, Any]:
        return dict(self._values.get("summary") or {"workflow": self.workflow, "finished": False})

    def _submit(self, fn_name: str, **kwargs: Any) -> None:
        """Queue `storage.<fn_name>(db=..., thread_id=..., **kwargs)` on the writer (never awaited)."""
        db = self._responder.db
        if db is None:
            return
        import storage

        if self._writer is None:  # the app gave no writer: own one (needs the running loop)
            self._writer = storage.BackgroundWriter(db=db)
            self._own_writer = True
        self._writer.submit(getattr(storage, fn_name), thread_id=self.thread_id, **kwargs)

    def _state_message(self, node: str, view: Mapping[str, Any]) -> dict[str, Any]:
        return {"type": "state", "node": node, "phase": view.get("phase", "new"), **self._spec.view(view)}

    async def _run(self, payload: dict[str, Any]) -> AsyncIterator[ReplyEvent]:
        self._said = {}
        view = {k: v for k, v in self._values.items() if k != "messages"}
        ran_wrap_up = False
        chunk: Any
        async for mode, chunk in self._graph.astream(
            payload,
            self._config,
            context=self._context,
            stream_mode=STREAM_MODES,
            durability="sync",
        ):
            if mode == "custom":
                if "say" in chunk:
                    self._said.setdefault(chunk["message_id"], []).append(chunk["say"].strip())
                    yield Say(chunk["say"])
                elif "notify" in chunk:
                    yield Notify(self._notice(dict(chunk["notify"])))
                continue
            for node, update in chunk.items():
                if node.startswith("__"):
                    continue
                if update:
                    view.update({k: v for k, v in update.items() if k != "messages"})
                ran_wrap_up = ran_wrap_up or node == "wrap_up"
                yield Notify(self._state_message(node, view))
        self._values = dict((await self._graph.aget_state(self._config)).values)
        if ran_wrap_up and self._values.get("phase") == "done":
            summary = self._summary()
            self._submit("save_report", report=summary)
            self._submit("set_session_status", status="ended")
            yield Finished(summary)

    def _notice(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Add the turn id, record tool calls and evaluations, keep bulky tool data off the wire."""
        kind = payload.get("type")
        if kind == "tool":
            args, result, error = payload.pop("args", None), payload.pop("result", None), payload.get("error")
            payload["turn_id"] = self._turn_id
            if payload.get("status") != "start":
                self._submit(
                    "add_tool_call",
                    turn_id=self._turn_id,
                    name=payload["name"],
                    status=payload["status"],
                    args=args,
                    result=result,
                    error=error,
                )
        elif kind == "evaluation":
            payload["turn_id"] = self._turn_id
            self._submit("add_evaluation", turn_id=self._turn_id, payload=dict(payload))
        return payload
