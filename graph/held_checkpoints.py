"""`HeldSaver`: a LangGraph checkpointer that holds a run's checkpoints in memory until `release()`.

A preemptive run (`graph.speculation`) runs on it instead of the thread's real saver
(`CompiledStateGraph.copy({"checkpointer": ...})`). `seed` copies the thread's latest checkpoint
into an `InMemorySaver`; the run reads it from there and writes its checkpoints and pending writes
there, each also logged in order. `release` replays the log onto the real saver (same checkpoint
ids, parents, metadata and versions: the history a plain run leaves), and from then on every call
goes straight through. Dropping the saver, or the process dying before `release`, leaves the real
saver as it was: nothing speculative ever reaches the durable store.

It assumes nothing else writes the thread while it holds (the voice loop prepares a preemptive
reply only when the agent is silent and its last reply recorded), and full channel values in the
latest checkpoint (no `DeltaChannel`, whose state would need the checkpoint's ancestors too).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.memory import InMemorySaver


@dataclasses.dataclass
class _Log:
    """Shared by a saver and its shallow copies (LangGraph's `with_allowlist` clones savers)."""

    memory: InMemorySaver
    calls: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    released: bool = False
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)


class HeldSaver(BaseCheckpointSaver[Any]):
    """Async-only (graph runs use `astream`); see the module doc."""

    def __init__(self, inner: BaseCheckpointSaver[Any]) -> None:
        super().__init__(serde=inner.serde)
        self._inner = inner
        self._log = _Log(memory=InMemorySaver(serde=inner.serde))

    @property
    def holding(self) -> int:
        """Calls waiting (checkpoints and pending writes; 0 once released)."""
        return len(self._log.calls)

    async def seed(self, config: RunnableConfig) -> str | None:
        """Copy the thread's latest checkpoint (with its pending writes) into memory, for the held
        run to start from (call before the run); its id (None for a new thread or once released)."""
        log = self._log
        async with log.lock:
            base = await self._inner.aget_tuple(config)
            if base is None or log.released:  # released: the run reads the real saver
                return None
            checkpoint, thread = base.checkpoint, {**base.config["configurable"], "checkpoint_id": None}
            parent = base.parent_config or {"configurable": thread}
            saved = await log.memory.aput(
                parent, checkpoint, base.metadata, dict(checkpoint["channel_versions"])
            )
            by_task: dict[str, list[tuple[str, Any]]] = {}
            for task_id, channel, value in base.pending_writes or []:
                by_task.setdefault(task_id, []).append((channel, value))
            for task_id, writes in by_task.items():
                await log.memory.aput_writes(saved, writes, task_id)
            return str(checkpoint["id"])

    async def release(self) -> None:
        """Replay the held calls onto the real saver, in order; later calls go straight through."""
        log = self._log
        async with log.lock:
            if log.released:
                return
            for call in log.calls:
                if call[0] == "put":
                    _, config, saved, new_versions = call
                    item = await log.memory.aget_tuple(saved)
                    if item is None:
                        raise RuntimeError(f"held checkpoint {saved} is missing from memory")
                    await self._inner.aput(config, item.checkpoint, item.metadata, new_versions)
                else:
                    _, config, frozen, task_id, task_path = call
                    writes = [(channel, self.serde.loads_typed(value)) for channel, value in frozen]
                    await self._inner.aput_writes(config, writes, task_id, task_path)
            log.calls.clear()
            log.released = True

    def drop(self) -> None:
        """Forget what is held (the run was discarded); nothing is ever released."""
        self._log.calls.clear()

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        if self._log.released:
            return await self._inner.aget_tuple(config)
        return await self._log.memory.aget_tuple(config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        source = self._inner if self._log.released else self._log.memory
        async for item in source.alist(config, filter=filter, before=before, limit=limit):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        log = self._log
        async with log.lock:
            if log.released:
                return await self._inner.aput(config, checkpoint, metadata, new_versions)
            saved = await log.memory.aput(config, checkpoint, metadata, new_versions)
            log.calls.append(("put", config, saved, dict(new_versions)))
            return saved

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        log = self._log
        async with log.lock:
            if log.released:
                await self._inner.aput_writes(config, writes, task_id, task_path)
                return
            await log.memory.aput_writes(config, writes, task_id, task_path)
            frozen = [(channel, self.serde.dumps_typed(value)) for channel, value in writes]
            log.calls.append(("writes", config, frozen, task_id, task_path))

    def get_next_version(self, current: Any, channel: None) -> Any:
        return self._inner.get_next_version(current, channel)
