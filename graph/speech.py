"""Guarded spoken output for spoken nodes.

`speak` emits sentences through the run's stream writer (`voice_io.protocols.Say` with the message
id, picked up by `GraphConversation` with `stream_mode="custom"`) as soon as each one is finished and has
passed `graph.guard.SentenceGuard`, and returns the full spoken text for the node's AIMessage.
Fixed parts (`prefix`, decided by graph logic) are spoken at once, before the model's first token.
Latency first: every next sentence gets `Context.first_sentence_s` at most. When the model has
not finished an acceptable first sentence by then, the template's lead speaks and the model gets one
more budget for its question; past that (or any later gap), the template finishes the turn.
Without a model, or when the model's output fails the guard, raises, or runs past
`Context.llm_timeout_s`, the template (`fallback`) speaks instead; model failures also emit a
non-fatal `llm_failed` error notice. Raw model tokens are never streamed to the user: a sentence
that would have to be taken back cannot be spoken.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langgraph.runtime import Runtime

from graph.context import Context, context_of
from graph.guard import GuardSpec, SentenceGuard, clean
from graph.notices import notify
from tools.text import SentenceStream, split_sentences
from voice_io.events import WarningEvent
from voice_io.protocols import Say

log = logging.getLogger(__name__)


def new_message_id() -> str:
    return f"ai-{uuid.uuid4().hex}"


def _writer(runtime: Runtime[Context]) -> Callable[[Any], None]:
    return runtime.stream_writer


def _cleaned(sentences: list[str]) -> list[str]:
    return [s for s in map(clean, sentences) if s]


def _chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", "")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""


async def speak(
    runtime: Runtime[Context],
    *,
    message_id: str,
    fallback: str,
    prompt: Sequence[BaseMessage] | None = None,
    spec: GuardSpec | None = None,
    prefix: str = "",
) -> str:
    """Speak `prefix`, then the model's guarded phrasing of `prompt` (or `fallback`); return the text.

    In question mode `fallback` must end with `spec.target`: when the model spoke a lead but no
    acceptable question, the target question is spoken on its own.
    """
    write = _writer(runtime)
    said: list[str] = []

    last_emit: list[float] = []

    def emit(text: str) -> None:
        sentences = _cleaned(split_sentences(text))
        for sentence in sentences:
            write(Say(sentence + " ", message_id))
            said.append(sentence)
        if sentences and last_emit:
            last_emit[0] = asyncio.get_running_loop().time()

    emit(prefix)
    context = context_of(runtime)
    model = context.chat_model
    status = context.llm_status
    if model is not None and status is not None and not status.available:
        _report_failure(runtime, context, f"the language model is down: {status.reason}")
        model = None  # speak the template at once instead of waiting on a dead model
    if model is None or prompt is None or spec is None:
        emit(fallback)
        return " ".join(said)

    if not spec.prompt:
        spec = dataclasses.replace(spec, prompt=" ".join(str(m.content) for m in prompt))
    guard = SentenceGuard(spec)
    lead = fallback[: -len(spec.target)].strip() if spec.target and fallback.endswith(spec.target) else ""
    loop = asyncio.get_running_loop()
    started = loop.time()
    hard_deadline = started + context.llm_timeout_s
    last_emit.append(started)
    """When the latest sentence was spoken: each next one gets `first_sentence_s` at most."""
    spoken_by_model = 0
    template_spoken = False
    """The model was slow to finish its first sentence: the template spoke instead."""
    failure: str | None = None

    def handle(sentence: str) -> bool:
        """Guard one model sentence; True when the turn is complete."""
        nonlocal spoken_by_model
        verdict = guard.check(sentence)
        if verdict == "speak":
            if not template_spoken:  # once the template lead spoke, the model's leads are dropped
                emit(sentence)
                spoken_by_model += 1
            return False
        if verdict == "speak_and_stop":
            emit(sentence)
            spoken_by_model += 1
        return True

    stream = model.astream(list(prompt))
    chunks = stream.__aiter__()
    pending: asyncio.Future[Any] | None = None
    splitter = SentenceStream()
    try:
        complete = False
        while not complete:
            pending = asyncio.ensure_future(chunks.__anext__())
            while True:
                until = min(last_emit[0] + context.first_sentence_s, hard_deadline)
                done, _ = await asyncio.wait({pending}, timeout=max(0.0, until - loop.time()))
                if done:
                    break
                if loop.time() >= hard_deadline:
                    raise TimeoutError
                # the sentence budget is spent: never leave the user waiting on the model
                if spoken_by_model or template_spoken or spec.mode == "statement" or not lead:
                    complete = True  # the template finishes the turn (below)
                    break
                template_spoken = True  # speak the template lead now, give the model one more
                emit(lead)  # budget for its question
            if complete:
                break
            try:
                chunk = pending.result()
            except StopAsyncIteration:
                break
            finally:
                pending = None
            sentences = _cleaned(splitter.push(_chunk_text(chunk)))
            complete = any(handle(sentence) for sentence in sentences)
        if not complete:
            for sentence in _cleaned(splitter.flush()):
                if not sentence.endswith((".", "!", "?")):
                    sentence += "."  # the model stopped mid-sentence (token cap)
                if handle(sentence):
                    break
    except TimeoutError:
        failure = f"the language model did not answer within {context.llm_timeout_s:g} s"
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        failure = f"the language model failed: {exc.__class__.__name__}: {exc}"
    finally:
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        with contextlib.suppress(Exception):
            await stream.aclose()  # type: ignore[attr-defined]
    if failure:
        _report_failure(runtime, context, failure)
    elif guard.reason:
        log.info("guard rejected model output (%s); using the template", guard.reason)

    if spec.mode == "statement":
        if spoken_by_model == 0:
            emit(fallback)
    elif not guard.asked:
        emit(spec.target if (spoken_by_model or template_spoken) else fallback)
    return " ".join(said)


def _report_failure(runtime: Runtime[Context], context: Context, failure: str) -> None:
    """Log and notify a model failure; a known outage is reported once per session."""
    status = context.llm_status
    if status is not None and not status.first_report(context.thread_id):
        return
    log.warning("llm fallback (thread %s): %s", context.thread_id, failure)
    notify(runtime, WarningEvent(code="llm_failed", message=failure))


def spoken_message(text: str, message_id: str, node: str) -> AIMessage:
    return AIMessage(content=text, id=message_id, additional_kwargs={"node": node})
