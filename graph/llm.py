"""The phrasing model: embedded SmolLM2 behind llama.cpp's OpenAI-compatible server, any
OpenAI-compatible API, or none at all (the rules brain speaks templates only).

The model never decides the flow or a score; it only phrases what graph logic chose, and
`graph.guard` checks its output sentence by sentence (see `graph.speech.speak`).
"""

from __future__ import annotations

import logging
from typing import Literal

from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

Provider = Literal["embedded", "openai", "rules"]

EMBEDDED_MODEL = "smollm2"
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"


def build_chat_model(
    *,
    provider: Provider,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    max_tokens: int = 160,
    temperature: float = 0.6,
    timeout_s: float = 20.0,
) -> BaseChatModel | None:
    """A streaming ChatOpenAI for `embedded` / `openai`, None for `rules`.

    embedded: `base_url` is the llama.cpp server's `.../v1` URL (voice_agent.llm_server.LlamaServer);
    that server ignores `max_completion_tokens`, so the cap goes in `extra_body={"max_tokens": N}`.
    openai: `base_url` None means api.openai.com; fails fast (short timeout, one retry).
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
            max_retries=0,
            streaming=True,
            extra_body={"max_tokens": max_tokens},
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
        )
    raise ValueError(f"unknown LLM provider {provider!r} (embedded, openai or rules)")
