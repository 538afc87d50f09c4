"""Connected sessions: whose thread a connection may resume, and what happens when its session is
deleted while it is connected.

- `OwnedResponder` wraps the app's Responder for one caller: resuming a thread the caller does
  not own is `unknown_thread`, exactly like an unknown id (nothing tells the two apart).
- `LiveSessions` (one per process, `app.state.live`) knows which thread each connection of this
  process carries; `DELETE /api/sessions/{id}` stops those connections before deleting.
- `SessionGuard` (one per connection) does the stopping: the client gets `error` `unknown_thread`
  (fatal), the conversation is stopped (its reply cancelled, its pending writes flushed) and the
  socket closed with 4404. It also checks every `session_watch_s` that the thread still exists,
  for a delete made by another process; then it deletes whatever the conversation wrote meanwhile
  (rows and checkpoints), so nothing of the session remains.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import storage
from voice_agent.auth import Caller
from voice_io.errors import UnknownThread
from voice_io.protocols import Conversation, Responder

log = logging.getLogger(__name__)

CLOSE_DELETED = 4404
Stop = Callable[[], Awaitable[None]]


class OwnedResponder:
    """The app's Responder as one caller sees it: only their own threads can be resumed."""

    def __init__(self, responder: Responder, *, db: Any, caller: Caller) -> None:
        self._inner = responder
        self._db = db
        self._caller = caller

    def workflows(self) -> Sequence[str]:
        return self._inner.workflows()

    async def open(
        self, *, workflow: str, thread_id: str | None, options: Mapping[str, Any], owner: str | None = None
    ) -> Conversation:
        if thread_id is not None and not self._caller.admin:
            row = await asyncio.to_thread(storage.get_session, db=self._db, thread_id=thread_id)
            if not self._caller.owns(row):
                raise UnknownThread(f"no conversation with thread_id {thread_id!r}")
        return await self._inner.open(workflow=workflow, thread_id=thread_id, options=options, owner=owner)


class LiveSessions:
    """Thread id → the stop callbacks of the connections of this process that carry it."""

    def __init__(self) -> None:
        self._stops: dict[str, set[Stop]] = {}

    def add(self, thread_id: str, stop: Stop) -> None:
        self._stops.setdefault(thread_id, set()).add(stop)

    def discard(self, thread_id: str, stop: Stop) -> None:
        stops = self._stops.get(thread_id)
        if stops is not None:
            stops.discard(stop)
            if not stops:
                del self._stops[thread_id]

    def threads(self) -> list[str]:
        return list(self._stops)

    async def deleted(self, thread_id: str) -> None:
        """The thread is being deleted: stop every connection carrying it (and wait for that)."""
        for stop in list(self._stops.get(thread_id, ())):
            await stop()


@dataclass(kw_only=True, eq=False)
class SessionGuard:
    """Stops one connection's conversation when its session is deleted (see the module doc)."""

    thread_id: Callable[[], str | None]
    notify: Callable[[dict[str, Any]], Awaitable[None]]
    stop_session: Stop
    close: Callable[[int, str], Awaitable[None]]
    db: Any
    checkpointer: Any
    live: LiveSessions | None
    interval_s: float = 1.0
    _registered: str | None = field(default=None, init=False)
    _stopped: bool = field(default=False, init=False)

    async def run(self) -> None:
        """Watch for as long as the connection lives (cancel the task to end it)."""
        try:
            while not self._stopped:
                self._register()
                thread_id = self._registered
                if thread_id is not None and not await self._exists(thread_id):
                    await self._stop(thread_id, purge=True)
                    return
                await asyncio.sleep(self.interval_s)
        finally:
            self._unregister()

    def _register(self) -> None:
        current = self.thread_id()
        if current == self._registered:
            return
        self._unregister()
        self._registered = current
        if current is not None and self.live is not None:
            self.live.add(current, self._stop_here)

    def _unregister(self) -> None:
        if self._registered is not None and self.live is not None:
            self.live.discard(self._registered, self._stop_here)
        self._registered = None

    async def _stop_here(self) -> None:
        """Called by a delete in this process, which then deletes the rows and checkpoints itself."""
        thread_id = self._registered
        if thread_id is not None:
            await self._stop(thread_id, purge=False)

    async def _exists(self, thread_id: str) -> bool:
        try:
            return await asyncio.to_thread(storage.get_session, db=self.db, thread_id=thread_id) is not None
        except storage.StorageError as exc:  # the database is down: not a delete
            log.warning("cannot check session %s: %s", thread_id, exc)
            return True

    async def _stop(self, thread_id: str, *, purge: bool) -> None:
        if self._stopped:
            return
        self._stopped = True
        log.info("session %s was deleted while connected: stopping it", thread_id)
        with contextlib.suppress(ConnectionError):
            await self.notify(
                {
                    "type": "error",
                    "code": "unknown_thread",
                    "message": f"the session {thread_id} has been deleted",
                    "fatal": True,
                }
            )
        try:
            await self.stop_session()
        except Exception:
            log.exception("stopping deleted session %s failed", thread_id)
        if purge:  # what the conversation wrote between the delete and now
            try:
                await storage.delete_thread(db=self.db, checkpointer=self.checkpointer, thread_id=thread_id)
            except storage.StorageError as exc:
                log.error("could not remove the rest of deleted session %s: %s", thread_id, exc)
        await self.close(CLOSE_DELETED, "session deleted")
