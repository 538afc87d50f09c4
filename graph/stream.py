"""Stream translation: one graph run's `astream(stream_mode=["custom", "updates"])` chunks become
the voice loop's `ReplyEvent`s.

Spoken nodes write each sentence as a `Say` with its message id (`graph.speech.speak`); tool
steps write `graph.notices.ToolRecord`s (recorded, then announced as a `ToolEvent`); evaluations
and warnings are `voice_io.events` already (evaluations get the turn id and are recorded); every
node update becomes a `StateEvent` with the node, the phase, the workflow's counters and `spoken_by`
(the session's sentences so far by `Say.source`: the model's and the templates').
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graph.notices import ToolRecord
from graph.registry import StateView
from voice_io.events import EvaluationEvent, StateEvent, ToolEvent, WarningEvent
from voice_io.protocols import Notify, ReplyEvent, Say

STREAM_MODES: list[Any] = ["custom", "updates"]


class RunTranslator:
    """Translates the chunks of one run, remembering what each message spoke and which nodes ran."""

    def __init__(
        self,
        *,
        values: Mapping[str, Any],
        view: StateView,
        turn_id: str,
        on_tool: Callable[[ToolRecord], None],
        on_evaluation: Callable[[EvaluationEvent], None],
        spoken_by: Mapping[str, int] | None = None,
    ) -> None:
        self._view = {k: v for k, v in values.items() if k != "messages"}
        self._state_view = view
        self._turn_id = turn_id
        self._on_tool = on_tool
        self._on_evaluation = on_evaluation
        self.said: dict[str, list[str]] = {}
        """message id → sentences spoken in this run (in order)."""
        self.nodes: list[str] = []
        """The nodes that completed in this run, in order."""
        self.sources: Counter[str] = Counter()
        """Sentences spoken in this run by `Say.source` ("model", "template")."""
        self._spoken_before = dict(spoken_by or {})

    def events(self, mode: str, chunk: Any) -> Iterator[ReplyEvent]:
        if mode == "custom":
            yield from self._custom(chunk)
            return
        for node, update in chunk.items():
            if node.startswith("__"):
                continue
            if update:
                self._view.update({k: v for k, v in update.items() if k != "messages"})
            self.nodes.append(node)
            yield Notify(self.state_event(node))

    def spoken_by(self) -> dict[str, int]:
        """The session's sentences by source, this run's included."""
        before = self._spoken_before
        return {k: before.get(k, 0) + self.sources[k] for k in ("model", "template")}

    def state_event(self, node: str) -> StateEvent:
        fields = {**self._state_view(self._view), "spoken_by": self.spoken_by()}
        return StateEvent(node=node, phase=self._view.get("phase", "new"), fields=fields)

    def _custom(self, chunk: Any) -> Iterator[ReplyEvent]:
        if isinstance(chunk, Say):
            self.said.setdefault(chunk.message_id or "", []).append(chunk.text.strip())
            if chunk.source is not None:
                self.sources[chunk.source] += 1
            yield chunk
        elif isinstance(chunk, ToolRecord):
            if chunk.status != "start":
                self._on_tool(chunk)
            yield Notify(ToolEvent(chunk.name, chunk.status, turn_id=self._turn_id, error=chunk.error))
        elif isinstance(chunk, EvaluationEvent):
            evaluation = dataclasses.replace(chunk, turn_id=self._turn_id)
            self._on_evaluation(evaluation)
            yield Notify(evaluation)
        elif isinstance(chunk, WarningEvent):
            yield Notify(chunk)
