"""A preemptive graph run: the reply to a speculative transcript, prepared before the turn is
final (`voice_io.protocols.Preemption`), that leaves no trace unless it is committed.

- **Storage**: the run's journal and its `Context.recorder` are a `HeldRecorder`: reads go through,
  writes (the user row, the agent row in progress, tool calls, evaluations) wait in order; `commit`
  makes them, and later ones go straight through; `discard` drops them.
- **Checkpoint**: the run's graph is the workflow's with a `HeldSaver` over the thread's saver
  (`graph.held_checkpoints`): it starts from a copy of the thread's latest checkpoint and keeps its
  checkpoints in memory; `commit` writes them to the real saver as the run wrote them (and later
  ones go straight through), `discard` drops them. Until the commit the durable store holds nothing
  of the run: a discard, or a crash while it is held, leaves the thread's state and its checkpoint
  history (`/history`, forks, resume) as they were before the speculation.
- **Result**: the run's read-back of the final state (and its `Finished`) waits for `commit`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.held_checkpoints import HeldSaver
from graph.journal import Journal
from graph.recorder import Recorder, Role, ToolStatus
from voice_io.protocols import ReplyEvent, UserTurn

if TYPE_CHECKING:
    from graph.conversation import GraphConversation

log = logging.getLogger(__name__)


class HeldRecorder:
    """A `Recorder` whose writes wait until `release()` (then go straight through) or `drop()`."""

    def __init__(self, inner: Recorder) -> None:
        self._inner = inner
        self._held: list[Callable[[], None]] | None = []

    @property
    def holding(self) -> int:
        """Writes waiting (0 once released)."""
        return len(self._held or [])

    def release(self) -> None:
        held, self._held = self._held, None
        for write in held or []:
            write()

    def drop(self) -> None:
        self._held = []

    def _write(self, method: str, **kwargs: Any) -> None:
        write = functools.partial(getattr(self._inner, method), **kwargs)
        if self._held is None:
            write()
        else:
            self._held.append(write)

    # reads (and session-level calls a graph run never makes) go through
    async def create_session(
        self, *, thread_id: str, workflow: str, options: Mapping[str, Any], owner: str | None, learner: str
    ) -> None:
        await self._inner.create_session(
            thread_id=thread_id, workflow=workflow, options=options, owner=owner, learner=learner
        )

    async def get_session(self, *, thread_id: str) -> Mapping[str, Any] | None:
        return await self._inner.get_session(thread_id=thread_id)

    async def get_progress(
        self, *, learner: str, workflow: str, exclude_thread_id: str | None = None
    ) -> Mapping[str, Any]:
        return await self._inner.get_progress(learner=learner, workflow=workflow,
                                              exclude_thread_id=exclude_thread_id)

    async def search_questions(
        self, *, role: str, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        return await self._inner.search_questions(role=role, exclude_ids=exclude_ids, limit=limit)

    async def find_phrases(
        self, *, level: str, topic: str | None, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        return await self._inner.find_phrases(level=level, topic=topic, exclude_ids=exclude_ids, limit=limit)

    async def settle(
        self, *, thread_id: str, user_turns: Sequence[tuple[str, str]]
    ) -> Sequence[Mapping[str, Any]]:
        return await self._inner.settle(thread_id=thread_id, user_turns=user_turns)

    async def flush(self) -> None:
        await self._inner.flush()

    # writes wait
    def add_turn(
        self, *, thread_id: str, turn_id: str, role: Role, text: str, heard_text: str | None = None,
        interrupted: bool = False, fluency: Mapping[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self._write(
            "add_turn", thread_id=thread_id, turn_id=turn_id, role=role, text=text, heard_text=heard_text,
            interrupted=interrupted, fluency=fluency,
        )  # fmt: skip

    def speak_turn(self, *, thread_id: str, turn_id: str, said: Mapping[str, Sequence[str]]) -> None:
        snapshot = {k: list(v) for k, v in said.items()}  # `said` grows as the run goes on
        self._write("speak_turn", thread_id=thread_id, turn_id=turn_id, said=snapshot)

    def add_tool_call(
        self, *, thread_id: str, turn_id: str, name: str, status: ToolStatus, args: Any = None,
        result: Any = None, error: str | None = None,
    ) -> None:  # fmt: skip
        self._write(
            "add_tool_call", thread_id=thread_id, turn_id=turn_id, name=name, status=status, args=args,
            result=result, error=error,
        )  # fmt: skip

    def add_evaluation(self, *, thread_id: str, turn_id: str, payload: Mapping[str, Any]) -> None:
        self._write("add_evaluation", thread_id=thread_id, turn_id=turn_id, payload=payload)

    def set_turn_metrics(self, *, thread_id: str, turn_id: str, metrics: Mapping[str, Any]) -> None:
        self._write("set_turn_metrics", thread_id=thread_id, turn_id=turn_id, metrics=metrics)

    def end_session(self, *, thread_id: str, report: Mapping[str, Any]) -> None:
        self._write("end_session", thread_id=thread_id, report=report)


class GraphPreemption:
    """Implements `voice_io.protocols.Preemption` for one turn of a `GraphConversation`."""

    def __init__(self, conversation: GraphConversation, turn: UserTurn) -> None:
        self._conversation = conversation
        self._turn = turn
        recorder = conversation.context.recorder
        self._recorder = HeldRecorder(recorder) if recorder is not None else None
        saver = conversation.checkpointer
        self._saver = HeldSaver(saver) if saver is not None else None
        self._committed = asyncio.Event()
        self.prepared = asyncio.Event()
        """Set when the graph run is done and only its read-back waits for `commit`."""
        self._started = False
        self._before = (conversation.turn_id, conversation.said)

    async def events(self) -> AsyncIterator[ReplyEvent]:
        conversation = self._conversation
        self._started = True
        if self._saver is not None:
            await self._saver.seed({"configurable": {"thread_id": conversation.thread_id}})
        journal = Journal(thread_id=conversation.thread_id, recorder=self._recorder)
        context = dataclasses.replace(conversation.context, recorder=self._recorder)
        async for event in conversation.answer(
            self._turn, journal=journal, context=context, checkpointer=self._saver, tail=self._prepared
        ):
            yield event

    async def _prepared(self) -> None:
        self.prepared.set()
        await self._committed.wait()

    async def commit(self) -> None:
        if self._saver is not None:  # the checkpoints first: a resume makes the rows follow them
            await self._saver.release()
        if self._recorder is not None:
            self._recorder.release()
        self._committed.set()

    async def discard(self) -> None:
        if self._recorder is not None:
            self._recorder.drop()
        if self._saver is not None:
            self._saver.drop()
        if not self._started:
            return
        turn_id, said = self._before
        self._conversation.rewind(turn_id=turn_id, said=said)
        thread_id = self._conversation.thread_id
        log.debug("thread %s: preemptive run of %s discarded", thread_id, self._turn.turn_id)
