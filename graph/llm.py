"""The phrasing model: embedded SmolLM2 behind llama.cpp's OpenAI-compatible server, any
OpenAI-compatible API, or none at all (the rules brain speaks templates only).

The model never decides the flow or a score. Its spoken job is one JSON-schema-constrained sentence
while the template's lead plays (`graph.speech.speak`, `graph.remark`), checked by `graph.guard`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.outputs import LLMResult

log = logging.getLogger(__name__)

Provider = Literal["embedded", "openai", "rules"]

EMBEDDED_MODEL = "smollm2"
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"


class LLMStatus(BaseCallbackHandler):
    """The live state of the phrasing model, shared by the app and the graph.

    As a LangChain callback on the chat model it counts what really arrived: `completions` (model
    calls that produced text), `tokens` and `failures` (errors other than a cancelled stream). The
    app marks the model down when its process dies and up when it is back; while it is down the
    graph speaks templates without waiting on the model, and each session hears about it once
    (`first_report`).
    """

    run_inline = True

    def __init__(self) -> None:
        self.state: Literal["ok", "down"] = "ok"
        self.reason: str | None = None
        self.epoch = 0
        self.completions = 0
        self.tokens = 0
        self.failures = 0
        self.sentences: dict[str, int] = {"spoken": 0, "rejected": 0, "late": 0}
        """The model's spoken sentences (graph.speech): passed the guard / rejected or malformed /
        not ready while the template's lead played."""
        self._streaming: set[UUID] = set()
        self._reported: set[tuple[str | None, int]] = set()
        """(thread, outage) pairs already told that the model is down."""

    @property
    def available(self) -> bool:
        return self.state == "ok"

    def mark_down(self, reason: str) -> None:
        if self.state == "ok":
            self.epoch += 1
        self.state, self.reason = "down", reason

    def mark_up(self) -> None:
        self.state, self.reason = "ok", None

    def first_report(self, thread_id: str | None) -> bool:
        """True for every failure while the model is up; once per session and outage while down."""
        if self.state == "ok":
            return True
        key = (thread_id, self.epoch)
        if key in self._reported:
            return False
        self._reported.add(key)
        return True

    def count_sentence(self, outcome: Literal["spoken", "rejected", "late"]) -> None:
        self.sentences[outcome] += 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "down_reason": self.reason,
            "completions": self.completions,
            "tokens": self.tokens,
            "failures": self.failures,
            "model_sentences": dict(self.sentences),
        }

    # --- LangChain callbacks
    def on_llm_new_token(self, token: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if not token:
            return
        self.tokens += 1
        if run_id not in self._streaming:
            self._streaming.add(run_id)
            self.completions += 1

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        if run_id in self._streaming:
            self._streaming.discard(run_id)
            return
        if any(
            g.text or getattr(getattr(g, "message", None), "tool_calls", None)
            for gens in response.generations
            for g in gens
        ):
            self.completions += 1  # text, or a tool call (a forced one carries no text)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._streaming.discard(run_id)
        if not isinstance(error, asyncio.CancelledError | GeneratorExit):
            self.failures += 1


def build_chat_model(
    *,
    provider: Provider,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    max_tokens: int = 160,
    temperature: float = 0.6,
    timeout_s: float = 20.0,
    status: LLMStatus | None = None,
) -> BaseChatModel | None:
    """A streaming ChatOpenAI for `embedded` / `openai`, None for `rules`.

    embedded: `base_url` is the llama.cpp server's `.../v1` URL (voice_agent.llm_server.LlamaServer);
    that server ignores `max_completion_tokens`, so the cap goes in `extra_body={"max_tokens": N}`.
    openai: `base_url` None means api.openai.com; fails fast (short timeout, one retry).
    `status` (optional) is attached as a callback and counts what the model really produced.
    """
    if provider == "rules":
        return None
    from langchain_openai import ChatOpenAI  # imported lazily: the rules brain needs no client

    if provider == "embedded":
        if not base_url:
            raise ValueError("the embedded provider needs the llama.cpp server's base_url")
        return ChatOpenAI(
            base_url=base_url,
            api_key=api_key or "x",
            model=model or EMBEDDED_MODEL,
            temperature=temperature,
            timeout=timeout_s,
            # one retry: a pooled keep-alive connection that the server closed (its timers fire at
            # once when it is continued after a decode) fails at once as a connection error; a
            # 10-minute 4-session soak had one such `llm fallback` with the child alive
            max_retries=1,
            streaming=True,
            extra_body={"max_tokens": max_tokens},
            callbacks=[status] if status else None,
        )
    if provider == "openai":
        return ChatOpenAI(
            base_url=base_url,
            api_key=api_key,
            model=model or OPENAI_DEFAULT_MODEL,
            temperature=temperature,
            max_tokens=max_tokens,
            timeout=timeout_s,
            max_retries=1,
            streaming=True,
            callbacks=[status] if status else None,
        )
    raise ValueError(f"unknown LLM provider {provider!r} (embedded, openai or rules)")
