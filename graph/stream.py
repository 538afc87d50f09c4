"""Stream translation: one graph run's `astream(stream_mode=["custom", "updates"])` chunks become
the voice loop's `ReplyEvent`s.

Spoken nodes write `{"say": sentence, "message_id": id}` (`graph.speech.speak`), which becomes a
`Say`; `{"notify": payload}` notices (tool, evaluation, error) become `Notify`; every node update
becomes a `state` Notify with the node, the phase and the workflow's counters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graph.registry import StateView
from voice_io.protocols import Notify, ReplyEvent, Say

STREAM_MODES: list[Any] = ["custom", "updates"]

Notice = Callable[[dict[str, Any]], dict[str, Any]]
"""Called with each notice before it is sent (adds the turn id, records it, trims bulky data)."""


class RunTranslator:
    """Translates the chunks of one run, remembering what each message spoke and which nodes ran."""

    def __init__(self, *, values: Mapping[str, Any], view: StateView, on_notice: Notice) -> None:
        self._view = {k: v for k, v in values.items() if k != "messages"}
        self._state_view = view
        self._on_notice = on_notice
        self.said: dict[str, list[str]] = {}
        """message id → sentences spoken in this run (in order)."""
        self.nodes: list[str] = []
        """The nodes that completed in this run, in order."""

    def events(self, mode: str, chunk: Any) -> Iterator[ReplyEvent]:
        if mode == "custom":
            if "say" in chunk:
                self.said.setdefault(chunk["message_id"], []).append(chunk["say"].strip())
                yield Say(chunk["say"])
            elif "notify" in chunk:
                yield Notify(self._on_notice(dict(chunk["notify"])))
            return
        for node, update in chunk.items():
            if node.startswith("__"):
                continue
            if update:
                self._view.update({k: v for k, v in update.items() if k != "messages"})
            self.nodes.append(node)
            yield Notify(self.state_message(node))

    def state_message(self, node: str) -> dict[str, Any]:
        view = self._view
        return {"type": "state", "node": node, "phase": view.get("phase", "new"), **self._state_view(view)}
