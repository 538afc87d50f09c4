"""`GraphConversation`: one LangGraph thread behind `voice_io.protocols.Conversation`.

Each call (`opening`, `reply`, `finish`) runs the workflow graph once from START with an `event`
input; `route_entry` picks the first node from that event and the state's `phase`. The chunks of
the run become `ReplyEvent`s (`graph.stream`), app data goes to the `Journal`, and after a barge-in
`record_heard` repairs the checkpoint (`graph.repair`) and undoes counters the user did not hear.
Each run's sentences are counted by who wrote them (`Say.source`): per turn in the stored turn
metrics (`model_sentences`, `template_sentences`), per session in the state (`spoken_by`, saved with
the next `record_heard`), the `state` events and the summary.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.fluency import fluency_metrics
from graph.journal import Journal
from graph.registry import Workflow
from graph.repair import heard_fixes, split_heard
from graph.speculation import GraphPreemption
from graph.stream import STREAM_MODES, RunTranslator
from voice_io.protocols import Finished, HeardMessage, HistoryItem, Preemption, ReplyEvent, Say, UserTurn

log = logging.getLogger(__name__)

REPAIR_NODE = "closed"
"""`as_node` for state repairs: a terminal node present in every workflow."""


def fluency_of(turn: UserTurn) -> dict[str, Any] | None:
    """Fluency of a spoken turn (None for typed turns: pace and pauses need audio)."""
    if turn.source != "voice":
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


class GraphConversation:
    """Implements `voice_io.protocols.Conversation` for one thread."""

    def __init__(
        self,
        *,
        spec: Workflow,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        context: Context,
        journal: Journal,
        resumed: bool,
        values: dict[str, Any],
    ) -> None:
        self.thread_id = journal.thread_id
        self.workflow = spec.name
        self.resumed = resumed
        self.word_timing = spec.word_timing
        self.options = context.options
        self._spec = spec
        self._graph = graph
        self._config: RunnableConfig = {"configurable": {"thread_id": self.thread_id}}
        self._context = context
        self._journal = journal
        self._values = values
        self._turn_id = "opening"
        self._said: dict[str, list[str]] = {}
        self._repairing = asyncio.Lock()
        """message id → sentences spoken in the latest run (in order)."""
        self._unsaved: Counter[str] = Counter()
        """Sentences by source spoken since the checkpoint's `spoken_by` was last written."""

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

    def reply(self, turn: UserTurn) -> AsyncIterator[ReplyEvent]:
        return self.answer(turn, journal=self._journal, context=self._context)

    def preempt(self, turn: UserTurn) -> Preemption:
        """Prepare the reply to a speculative transcript (`graph.speculation`): nothing of it is
        stored or kept in the checkpoint unless it is committed."""
        return GraphPreemption(self, turn)

    async def answer(
        self,
        turn: UserTurn,
        *,
        journal: Journal,
        context: Context,
        checkpointer: BaseCheckpointSaver[Any] | None = None,
        tail: Callable[[], Awaitable[object]] | None = None,
    ) -> AsyncIterator[ReplyEvent]:
        """`reply` with the run's journal, context and checkpointer (a preemptive run holds their
        writes); `tail` is awaited after the graph run, before its result is read back (from the
        thread's own checkpointer) and finished."""
        self._turn_id = turn.turn_id
        fluency = fluency_of(turn)
        journal.user_turn(turn_id=turn.turn_id, text=turn.text, fluency=fluency)
        keypad = {"keypad": turn.text} if turn.source == "dtmf" else {}
        payload = {
            "event": "turn",
            "messages": [
                HumanMessage(content=turn.text, id=f"user-{turn.turn_id}", additional_kwargs=keypad)
            ],
            "turn_id": turn.turn_id,
            "fluency": fluency,
        }
        async for item in self._run(
            payload, journal=journal, context=context, checkpointer=checkpointer, tail=tail
        ):
            yield item

    async def finish(self) -> AsyncIterator[ReplyEvent]:
        self._turn_id = "finish"
        if self._values.get("phase") != "done":
            async for item in self._run({"event": "finish", "turn_id": None}):
                if isinstance(item, Finished):
                    continue  # yielded once, below
                yield item
        yield Finished(self._summary())

    async def record_heard(
        self, *, spoken: str, heard: str, interrupted: bool, messages: Sequence[HeardMessage] = ()
    ) -> None:
        async with self._repairing:  # one repair at a time: each reads the state the last one left
            values = dict((await self._graph.aget_state(self._config)).values)
            parts = list(messages) or split_heard(self._said, heard)
            fixes = heard_fixes(values.get("messages", []), parts, interrupted=interrupted)
            update: dict[str, Any] = dict(self._spec.repair(values, heard)) if interrupted else {}
            if fixes:
                update["messages"] = fixes
            unsaved = dict(self._unsaved)
            if unsaved and values:
                update["spoken_by"] = unsaved
            if update and values:
                await self._graph.aupdate_state(self._config, update, as_node=REPAIR_NODE)
                self._values = dict((await self._graph.aget_state(self._config)).values)
                self._unsaved.subtract(unsaved)
                self._unsaved = +self._unsaved
        if spoken.strip():
            self._journal.agent_turn(
                turn_id=self._turn_id, spoken=spoken, heard=heard, interrupted=interrupted
            )

    async def settle(self) -> None:
        """On resume: an agent turn a crash cut off (its row still in progress) is kept as said up
        to the crash, marked interrupted, in the rows and in the checkpoint alike."""
        messages = self._values.get("messages", [])
        users = [
            (str(m.id).removeprefix("user-"), m.content)
            for m in messages
            if isinstance(m, HumanMessage) and str(m.id).startswith("user-") and isinstance(m.content, str)
        ]
        cut = await self._journal.settle(user_turns=users)
        if not cut or not self._values:
            return
        said, heard = cut[-1]["said"], cut[-1]["text"]
        update: dict[str, Any] = dict(self._spec.repair(self._values, heard))
        fixes = heard_fixes(messages, split_heard(said, heard), interrupted=True)
        if fixes:
            update["messages"] = fixes
        if update:
            await self._graph.aupdate_state(self._config, update, as_node=REPAIR_NODE)
            self._values = dict((await self._graph.aget_state(self._config)).values)
        log.info("thread %s: turn %s cut off by a crash, kept as said", self.thread_id, cut[-1]["turn_id"])

    def record_metrics(self, *, turn_id: str, metrics: Mapping[str, Any]) -> None:
        self._journal.metrics(turn_id=turn_id, metrics=metrics)

    async def close(self) -> None:
        await self._journal.close()

    def spoken_by(self) -> dict[str, int]:
        """This session's sentences so far by who wrote them: {"model": n, "template": m}."""
        saved = self._values.get("spoken_by") or {}
        return {k: int(saved.get(k, 0)) + self._unsaved[k] for k in ("model", "template")}

    def _summary(self) -> dict[str, Any]:
        summary = self._values.get("summary") or {"workflow": self.workflow, "finished": False}
        return {**summary, "spoken_by": self.spoken_by()}

    async def checkpoint_id(self) -> str | None:
        """The id of the thread's latest checkpoint (None before the first run)."""
        snapshot = await self._graph.aget_state(self._config)
        return snapshot.config.get("configurable", {}).get("checkpoint_id") if snapshot.values else None

    def rewind(self, *, turn_id: str, said: dict[str, list[str]]) -> None:
        """Back to what the conversation had before a preemptive run that was discarded (its
        checkpoints were held and dropped: the thread's state is as it was)."""
        self._turn_id, self._said = turn_id, said

    @property
    def checkpointer(self) -> BaseCheckpointSaver[Any] | None:
        """The thread's checkpointer (None when the graph keeps no state)."""
        saver = self._graph.checkpointer
        return saver if isinstance(saver, BaseCheckpointSaver) else None

    @property
    def context(self) -> Context:
        return self._context

    @property
    def said(self) -> dict[str, list[str]]:
        return self._said

    @property
    def turn_id(self) -> str:
        return self._turn_id

    async def _run(
        self,
        payload: dict[str, Any],
        *,
        journal: Journal | None = None,
        context: Context | None = None,
        checkpointer: BaseCheckpointSaver[Any] | None = None,
        tail: Callable[[], Awaitable[object]] | None = None,
    ) -> AsyncIterator[ReplyEvent]:
        journal = journal or self._journal
        graph = self._graph if checkpointer is None else self._graph.copy({"checkpointer": checkpointer})
        turn_id = self._turn_id
        run = RunTranslator(
            values=self._values,
            view=self._spec.view,
            turn_id=turn_id,
            on_tool=lambda record: journal.tool_call(turn_id=turn_id, record=record),
            on_evaluation=lambda e: journal.evaluation(
                turn_id=turn_id, payload={**e.fields, "turn_id": turn_id}
            ),
            spoken_by=self.spoken_by(),
        )
        self._said = run.said
        context = context or self._context
        settled = tail is None
        """A preemptive run (`tail`) counts what it spoke only once committed (tail returned)."""
        try:
            async for mode, chunk in graph.astream(
                payload, self._config, context=context, stream_mode=STREAM_MODES, durability="sync"
            ):
                for event in run.events(mode, chunk):
                    if isinstance(event, Say):  # the agent row exists from the utterance's start
                        journal.agent_speaking(turn_id=turn_id, said=run.said)
                    yield event
            if tail is not None:
                await tail()
                settled = True
        finally:  # a cancelled run (barge-in) counts what it spoke, too; a discarded one does not
            if settled:
                self.count_spoken(run, journal=journal, turn_id=turn_id)
        self._values = dict((await self._graph.aget_state(self._config)).values)
        if "wrap_up" in run.nodes and self._values.get("phase") == "done":
            summary = self._summary()
            journal.ended(report=summary)
            yield Finished(summary)

    def count_spoken(self, run: RunTranslator, *, journal: Journal, turn_id: str) -> None:
        """Count a run's sentences by source: the session's (saved with the next `record_heard`) and
        the turn's stored metrics."""
        if not run.sources:
            return
        self._unsaved.update(run.sources)
        counts = {"model_sentences": run.sources["model"], "template_sentences": run.sources["template"]}
        journal.metrics(turn_id=turn_id, metrics=counts)
