"""The brain as the app runs it: the chat model (starting and self-testing the embedded LLM
server when needed) inside a `GraphResponder`, and `LLMState`, what the app really runs."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from graph.llm import LLMStatus, Provider
from voice_agent.llm_server import LlamaServer
from voice_agent.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class LLMState:
    """Which LLM the app really runs, and how it is doing (shown in `/healthz` and the log)."""

    provider: Provider
    status: LLMStatus = field(default_factory=LLMStatus)
    server: LlamaServer | None = None
    error: str | None = None
    """Why the configured model is not running (auto mode fell back to rules)."""

    def describe(self) -> str:
        if self.server is not None:
            return f"embedded SmolLM2 (llama.cpp, self-test {self.server.self_test_ms:.0f} ms)"
        if self.error:
            return f"rules (embedded LLM failed: {self.error})"
        return self.provider

    def health(self) -> dict[str, Any]:
        process = self.server.health() if self.server is not None else None
        ok = self.error is None and self.status.available and (process is None or process["state"] == "ready")
        return {
            "ok": ok,
            "provider": self.provider,
            "error": self.error,
            "process": process,
            **self.status.snapshot(),
        }


@contextlib.asynccontextmanager
async def open_brain(
    settings: Settings, *, db: Any, checkpointer: Any, writer: Any, llm: LLMState
) -> AsyncIterator[Any]:
    """The GraphResponder with its chat model (starting and self-testing the embedded LLM server).

    An embedded model that fails its self-test stops the start when it was asked for explicitly
    (`VOICE_AGENT_LLM=embedded`); under `auto` the app says why in one line and runs the rules
    brain, and `/healthz` shows the failure. It never claims a model it does not have.
    """
    from graph.llm import build_chat_model
    from graph.registry import add_spec_dir
    from graph.responder import GraphResponder
    from storage import StorageRecorder
    from voice_agent.llm_server import LlamaServer, LLMServerError, embedded_gguf_path

    add_spec_dir(settings.workflows_dir)
    async with contextlib.AsyncExitStack() as stack:
        base_url = settings.openai_base_url
        model = settings.llm_model
        if llm.provider == "embedded":
            try:
                server = await stack.enter_async_context(
                    LlamaServer(
                        settings.llm_gguf or embedded_gguf_path(),
                        n_threads=settings.llm_threads,
                        n_ctx=settings.llm_ctx,
                        on_down=llm.status.mark_down,
                        on_up=llm.status.mark_up,
                    )
                )
            except LLMServerError as exc:
                if settings.llm == "embedded":
                    log.error("cannot start: %s", exc)
                    raise
                log.error("%s; continuing with the rules brain (templates only)", exc)
                llm.provider, llm.error = "rules", str(exc)
            else:
                llm.server = server
                base_url, model = server.base_url, server.alias
        chat_model = build_chat_model(
            provider=llm.provider,
            base_url=base_url,
            api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else None,
            model=model,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
            timeout_s=settings.llm_timeout_s,
            status=llm.status,
        )
        from graph.workflows.interview.scoring import warm_up

        # the evaluator's encoder and bank vectors load in the background, off the first answer's path
        threading.Thread(target=warm_up, name="evaluator-warm-up", daemon=True).start()
        yield GraphResponder(
            chat_model=chat_model,
            checkpointer=checkpointer,
            recorder=StorageRecorder(db=db, writer=writer),
            llm_timeout_s=settings.llm_timeout_s,
            first_sentence_s=settings.llm_sentence_s,
            pace_to_speech=settings.llm_pace_to_speech,
            llm_status=llm.status,
            judge_model=chat_model if llm.provider == "openai" else None,  # SmolLM2 cannot judge
            tool_model=chat_model if llm.provider == "openai" and settings.llm_tools else None,
        )
