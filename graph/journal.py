"""The app-data journal of one conversation: turns, tool calls, evaluations, metrics, the report.

Every write goes to the `Recorder` (queued off the latency path, so recording never delays speech).
Without a recorder the journal records nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from graph.notices import ToolRecord
from graph.recorder import Recorder


class Journal:
    """Records one thread's app data (never awaited; ordered per thread by the recorder)."""

    def __init__(self, *, thread_id: str, recorder: Recorder | None) -> None:
        self.thread_id = thread_id
        self._recorder = recorder

    def user_turn(self, *, turn_id: str, text: str, fluency: Mapping[str, Any] | None) -> None:
        if self._recorder is not None:
            self._recorder.add_turn(
                thread_id=self.thread_id, turn_id=turn_id, role="user", text=text, fluency=fluency
            )

    def agent_turn(self, *, turn_id: str, spoken: str, heard: str, interrupted: bool) -> None:
        if self._recorder is not None:
            self._recorder.add_turn(
                thread_id=self.thread_id,
                turn_id=turn_id,
                role="agent",
                text=spoken,
                heard_text=heard,
                interrupted=interrupted,
            )

    def agent_speaking(self, *, turn_id: str, said: Mapping[str, Sequence[str]]) -> None:
        """The utterance has started (or said one more sentence): the agent row, in progress."""
        if self._recorder is not None:
            self._recorder.speak_turn(thread_id=self.thread_id, turn_id=turn_id, said=said)

    async def settle(self, *, user_turns: Sequence[tuple[str, str]]) -> Sequence[Mapping[str, Any]]:
        """After a crash: rows follow the checkpoint; the agent turns cut off (see Recorder.settle)."""
        if self._recorder is None:
            return []
        return await self._recorder.settle(thread_id=self.thread_id, user_turns=user_turns)

    def tool_call(self, *, turn_id: str, record: ToolRecord) -> None:
        if self._recorder is not None:
            self._recorder.add_tool_call(thread_id=self.thread_id, turn_id=turn_id, **asdict(record))

    def evaluation(self, *, turn_id: str, payload: Mapping[str, Any]) -> None:
        if self._recorder is not None:
            self._recorder.add_evaluation(thread_id=self.thread_id, turn_id=turn_id, payload=dict(payload))

    def metrics(self, *, turn_id: str, metrics: Mapping[str, Any]) -> None:
        if self._recorder is not None:
            self._recorder.set_turn_metrics(thread_id=self.thread_id, turn_id=turn_id, metrics=metrics)

    def ended(self, *, report: Mapping[str, Any]) -> None:
        """The workflow wrapped up: keep its report and mark the session ended."""
        if self._recorder is not None:
            self._recorder.end_session(thread_id=self.thread_id, report=report)

    async def close(self) -> None:
        """Flush the queued writes."""
        if self._recorder is not None:
            await self._recorder.flush()
