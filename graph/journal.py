"""The app-data journal of one conversation: turns, tool calls, evaluations and the report.

Every write is queued on the app's background writer (`storage.BackgroundWriter`: `submit(fn,
**kwargs)` runs `fn(db=..., **kwargs)` off the latency path), so recording never delays speech.
Without a database the journal records nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Journal:
    """Records one thread's app data (never awaited; ordered per thread by the writer)."""

    def __init__(self, *, thread_id: str, db: Any | None, writer: Any | None) -> None:
        self.thread_id = thread_id
        self._db = db
        self._writer = writer
        self._own_writer = False

    def user_turn(self, *, turn_id: str, text: str, fluency: Mapping[str, Any] | None) -> None:
        self._submit("add_turn", turn_id=turn_id, role="user", text=text, fluency=fluency)

    def agent_turn(self, *, turn_id: str, spoken: str, heard: str, interrupted: bool) -> None:
        self._submit(
            "add_turn", turn_id=turn_id, role="agent", text=spoken, heard_text=heard, interrupted=interrupted
        )

    def tool_call(
        self, *, turn_id: str, name: str, status: str, args: Any, result: Any, error: str | None
    ) -> None:
        self._submit(
            "add_tool_call", turn_id=turn_id, name=name, status=status, args=args, result=result, error=error
        )

    def evaluation(self, *, turn_id: str, payload: Mapping[str, Any]) -> None:
        self._submit("add_evaluation", turn_id=turn_id, payload=dict(payload))

    def ended(self, *, report: Mapping[str, Any]) -> None:
        """The workflow wrapped up: keep its report and mark the session ended."""
        self._submit("save_report", report=dict(report))
        self._submit("set_session_status", status="ended")

    async def close(self) -> None:
        """Flush the writes (and close the writer when this journal made it)."""
        if self._writer is None:
            return
        if self._own_writer:
            await self._writer.aclose()
        elif hasattr(self._writer, "drain"):
            await self._writer.drain()

    def _submit(self, fn_name: str, **kwargs: Any) -> None:
        """Queue `storage.<fn_name>(db=..., thread_id=..., **kwargs)` on the writer."""
        if self._db is None:
            return
        import storage

        if self._writer is None:  # the app gave no writer: own one (needs the running loop)
            self._writer = storage.BackgroundWriter(db=self._db)
            self._own_writer = True
        self._writer.submit(getattr(storage, fn_name), thread_id=self.thread_id, **kwargs)
