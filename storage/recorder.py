"""`StorageRecorder`: `graph.recorder.Recorder` over this package's data functions.

Reads run in a worker thread; writes go through a `BackgroundWriter` (the app's, or one made on
the first write, inside the running event loop) so they never delay speech.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from storage.content import search_phrases, search_questions
from storage.database import Database
from storage.evaluations import add_evaluation, add_tool_call
from storage.progress import get_progress
from storage.reports import save_report
from storage.sessions import create_session, get_session, set_session_status
from storage.turns import add_turn, set_turn_metrics, settle_thread, speak_turn
from storage.writer import BackgroundWriter


class StorageRecorder:
    def __init__(self, *, db: Database, writer: BackgroundWriter | None = None) -> None:
        self.db = db
        self._writer = writer

    @property
    def writer(self) -> BackgroundWriter:
        if self._writer is None:  # needs the running loop: made on the first write
            self._writer = BackgroundWriter(db=self.db)
        return self._writer

    async def create_session(
        self, *, thread_id: str, workflow: str, options: Mapping[str, Any], owner: str | None, learner: str
    ) -> None:
        await asyncio.to_thread(
            create_session,
            db=self.db,
            thread_id=thread_id,
            workflow=workflow,
            options=dict(options),
            owner=owner,
            learner=learner,
        )

    async def get_session(self, *, thread_id: str) -> dict[str, Any] | None:
        return await asyncio.to_thread(get_session, db=self.db, thread_id=thread_id)

    async def get_progress(
        self, *, learner: str, workflow: str, exclude_thread_id: str | None = None
    ) -> dict[str, Any]:
        return await asyncio.to_thread(
            get_progress, db=self.db, learner=learner, workflow=workflow, exclude_thread_id=exclude_thread_id
        )

    async def search_questions(
        self, *, role: str, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(
            search_questions, db=self.db, role=role, exclude_ids=tuple(exclude_ids), limit=limit
        )

    async def find_phrases(
        self, *, level: str, topic: str | None, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(
            search_phrases, db=self.db, level=level, topic=topic, exclude_ids=tuple(exclude_ids), limit=limit
        )

    def add_turn(self, *, thread_id: str, turn_id: str, role: str, text: str, **fields: Any) -> None:
        """`fields`: heard_text, interrupted, fluency (see `storage.turns.add_turn`)."""
        self.writer.submit(add_turn, thread_id=thread_id, turn_id=turn_id, role=role, text=text, **fields)

    def speak_turn(self, *, thread_id: str, turn_id: str, said: Mapping[str, Sequence[str]]) -> None:
        self.writer.submit(
            speak_turn, thread_id=thread_id, turn_id=turn_id, said={k: list(v) for k, v in said.items()}
        )

    async def settle(self, *, thread_id: str, user_turns: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        await self.flush()
        return await asyncio.to_thread(settle_thread, db=self.db, thread_id=thread_id, user_turns=user_turns)

    def add_tool_call(self, *, thread_id: str, turn_id: str, name: str, status: str, **fields: Any) -> None:
        """`fields`: args, result, error (see `storage.evaluations.add_tool_call`)."""
        self.writer.submit(
            add_tool_call, thread_id=thread_id, turn_id=turn_id, name=name, status=status, **fields
        )

    def add_evaluation(self, *, thread_id: str, turn_id: str, payload: Mapping[str, Any]) -> None:
        self.writer.submit(add_evaluation, thread_id=thread_id, turn_id=turn_id, payload=dict(payload))

    def set_turn_metrics(self, *, thread_id: str, turn_id: str, metrics: Mapping[str, Any]) -> None:
        self.writer.submit(set_turn_metrics, thread_id=thread_id, turn_id=turn_id, metrics=dict(metrics))

    def end_session(self, *, thread_id: str, report: Mapping[str, Any]) -> None:
        self.writer.submit(save_report, thread_id=thread_id, report=dict(report))
        self.writer.submit(set_session_status, thread_id=thread_id, status="ended")

    async def flush(self) -> None:
        if self._writer is not None:
            await self._writer.drain()
