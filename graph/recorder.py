"""`Recorder`: the app data the graph reads and writes, as a seam (`storage.StorageRecorder`
implements it; `None` in `Context.recorder` = no app data, content from the packaged files).

Reads are awaited (the implementation runs blocking work in a worker thread). Writes return at
once: they are queued off the latency path, ordered per thread, and never raise to the caller;
`flush()` waits for the queued ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

Role = Literal["user", "agent"]
ToolStatus = Literal["start", "end", "error"]


class Recorder(Protocol):
    async def create_session(
        self, *, thread_id: str, workflow: str, options: Mapping[str, Any], owner: str | None, learner: str
    ) -> None: ...

    async def get_session(self, *, thread_id: str) -> Mapping[str, Any] | None:
        """The session row (`workflow`, `options`, `learner`, ...), None when unknown or deleted."""
        ...

    async def get_progress(
        self, *, learner: str, workflow: str, exclude_thread_id: str | None = None
    ) -> Mapping[str, Any]:
        """The learner's earlier sessions of `workflow` (all but `exclude_thread_id`): `sessions`,
        `recent_scores`, `average`, `weaknesses` ([{criterion, count}], most frequent first)."""
        ...

    async def search_questions(
        self, *, role: str, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        """Stored interview questions for `role` (then generic ones), in id order."""
        ...

    async def find_phrases(
        self, *, level: str, topic: str | None, exclude_ids: Sequence[str], limit: int
    ) -> list[dict[str, Any]]:
        """Stored phrases to teach at `level` (CEFR), on `topic` when given, in id order."""
        ...

    def add_turn(
        self, *, thread_id: str, turn_id: str, role: Role, text: str, heard_text: str | None = None,
        interrupted: bool = False, fluency: Mapping[str, Any] | None = None,
    ) -> None: ...  # fmt: skip

    def speak_turn(self, *, thread_id: str, turn_id: str, said: Mapping[str, Sequence[str]]) -> None:
        """The agent is speaking the turn: its row is written in progress with what was said so far
        (message id → sentences); `add_turn(role="agent")` completes it."""
        ...

    async def settle(
        self, *, thread_id: str, user_turns: Sequence[tuple[str, str]]
    ) -> Sequence[Mapping[str, Any]]:
        """On resume: make the rows follow the checkpoint's user turns ((turn id, text)); agent turns a
        crash left in progress are marked cut off and returned (`turn_id`, `text`, `said`)."""
        ...

    def add_tool_call(
        self,
        *,
        thread_id: str,
        turn_id: str,
        name: str,
        status: ToolStatus,
        args: Any = None,
        result: Any = None,
        error: str | None = None,
    ) -> None:
        """A finished tool call ("end" with its result, or "error")."""
        ...

    def add_evaluation(self, *, thread_id: str, turn_id: str, payload: Mapping[str, Any]) -> None: ...

    def set_turn_metrics(self, *, thread_id: str, turn_id: str, metrics: Mapping[str, Any]) -> None:
        """The turn's latency waterfall (later calls merge keys)."""
        ...

    def end_session(self, *, thread_id: str, report: Mapping[str, Any]) -> None:
        """The workflow wrapped up: keep its report and mark the session ended."""
        ...

    async def flush(self) -> None:
        """Wait until every write queued so far is done."""
        ...
