"""The model's one spoken job: a single short sentence whose shape a JSON schema constrains,
produced while the template's lead plays (`graph.speech.speak`).

    sentence = await constrained_sentence(model, messages, pattern=REMARK_PATTERN)

The request carries `response_format` in the dialect the server constrains: llama.cpp's
(llama-cpp-python compiles `{"type": "json_object", "schema": ...}` into a grammar; it ignores
OpenAI's `json_schema` type) for the embedded SmolLM2, OpenAI's strict `json_schema` for any other
model. The answer is `{"sentence": "..."}`; anything else raises `MalformedSentence`.

`speech_seconds` estimates how long text takes to speak (Piper's voice, measured): the model gets
the time the lead is playing, never more, so waiting for it never adds silence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from graph.llm import EMBEDDED_MODEL

REMARK_PATTERN = "^You (mentioned|described|talked about) [A-Za-z0-9 '%$-]{3,90}[.]$"
"""A remark on the user's words: one clause, no comma, no question. (`[.]`, not `\\.`: llama.cpp's
grammar compiler turned `\\.` into an escape its server crashed on.)"""
STATEMENT_PATTERN = "^[A-Z][A-Za-z0-9 ,'-]{4,80}[.!]$"
"""One plain sentence, no question."""
MAX_TOKENS = 48
"""Either pattern fits in about 30 tokens; the cap only stops a server that ignores the schema."""

SECONDS_PER_CHAR = 0.045
SECONDS_BASE = 0.3
"""Piper (joe, length_scale 1) measured: "Let's begin." 0.87 s, "Thanks, let's move on." 1.61 s,
a 61-character question 3.05 s; `0.3 + 0.045 * chars` stays at or under those."""


class MalformedSentence(ValueError):
    """The model's answer was not `{"sentence": str}` (the guard then rejects it)."""


def speech_seconds(text: str) -> float:
    """A conservative estimate of how long `text` takes to speak (0 for no text)."""
    text = text.strip()
    return SECONDS_BASE + SECONDS_PER_CHAR * len(text) if text else 0.0


def sentence_schema(pattern: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"sentence": {"type": "string", "pattern": pattern}},
        "required": ["sentence"],
        "additionalProperties": False,
    }


def response_format(
    model: BaseChatModel, schema: dict[str, Any], *, name: str = "sentence"
) -> dict[str, Any]:
    """`response_format` for `model`'s server: llama.cpp's dialect for the embedded model."""
    if str(getattr(model, "model_name", "") or "") == EMBEDDED_MODEL:
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}


def request_options(model: BaseChatModel, schema: dict[str, Any]) -> dict[str, Any]:
    """`bind` kwargs: the format travels in `extra_body`, as sent (LangChain would route a
    `response_format` argument through OpenAI's beta parser, which llama.cpp does not speak)."""
    extra = dict(getattr(model, "extra_body", None) or {})
    if "max_tokens" in extra:  # the embedded server ignores max_completion_tokens
        extra["max_tokens"] = min(int(extra["max_tokens"]), MAX_TOKENS)
    return {"extra_body": {**extra, "response_format": response_format(model, schema)}}


def parse_sentence(content: Any) -> str:
    text = content if isinstance(content, str) else ""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        value = json.loads(match.group(0) if match else text)
    except ValueError as exc:
        raise MalformedSentence(f"not JSON: {text[:80]!r}") from exc
    sentence = value.get("sentence") if isinstance(value, dict) else None
    if not isinstance(sentence, str) or not sentence.strip():
        raise MalformedSentence(f"no sentence in {text[:80]!r}")
    return " ".join(sentence.split())


async def constrained_sentence(model: BaseChatModel, messages: Sequence[BaseMessage], *, pattern: str) -> str:
    """The model's sentence, its shape constrained by `pattern` (raises on a malformed answer)."""
    bound = model.bind(**request_options(model, sentence_schema(pattern)))
    message = await bound.ainvoke(list(messages))
    return parse_sentence(getattr(message, "content", ""))
