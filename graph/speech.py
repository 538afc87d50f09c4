"""Guarded spoken output for spoken nodes: the template speaks at once, the model fills time.

`speak` emits sentences through the run's stream writer (`voice_io.protocols.Say` with the message
id and its `source`, picked up by `GraphConversation` with `stream_mode="custom"`):

1. The fixed parts at once: `prefix` (decided by graph logic) and, for a question, the template's
   lead (`fallback` without its question). The first sentence never waits on the model.
2. While those play, the model writes ONE sentence constrained by a JSON schema
   (`graph.remark.constrained_sentence`): a remark on the user's words between the lead and the
   question (`GuardSpec(mode="remark")`), or a statement in place of the template's (`say` with a
   goal). It gets the estimated playing time of what is already queued (`graph.remark.speech_seconds`
   minus `PLAYOUT_MARGIN_S`), at most `Context.first_sentence_s`; when nothing is playing it is not
   asked at all. `Context.pace_to_speech=False` (tests of the real model, on busy machines) gives it
   `first_sentence_s` flat.
3. The guard (`graph.guard.SentenceGuard`) checks the sentence; then the question (or the template
   statement, when the model's was not spoken) follows.

A late, rejected or malformed sentence is simply not spoken (counted in `LLMStatus`); a model that
raises, or is still silent at `Context.llm_timeout_s` when that was its limit, emits a non-fatal
`llm_failed` notice. Raw model tokens are never streamed to the user.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage
from langgraph.runtime import Runtime

from graph.context import Context, context_of
from graph.guard import GuardSpec, SentenceGuard, clean
from graph.notices import notify
from graph.remark import REMARK_PATTERN, STATEMENT_PATTERN, constrained_sentence, speech_seconds
from tools.text import split_sentences
from voice_io.events import WarningEvent
from voice_io.protocols import Say

log = logging.getLogger(__name__)

PLAYOUT_MARGIN_S = 0.4
"""Audio goes out 0.3 s ahead of real time, and the next sentence needs its own synthesis."""
MIN_WAIT_S = 0.15
"""Less time than this is not worth a model call."""

Source = Literal["model", "template"]


def new_message_id() -> str:
    return f"ai-{uuid.uuid4().hex}"


def _writer(runtime: Runtime[Context]) -> Callable[[Any], None]:
    return runtime.stream_writer


def model_wait_s(context: Context, queued: str) -> float:
    """How long the model's sentence may take: the playing time of `queued`, capped."""
    cap = min(context.first_sentence_s, context.llm_timeout_s)
    if not context.pace_to_speech:
        return cap
    return max(0.0, min(cap, speech_seconds(queued) - PLAYOUT_MARGIN_S))


async def speak(
    runtime: Runtime[Context],
    *,
    message_id: str,
    fallback: str,
    prompt: Sequence[BaseMessage] | None = None,
    spec: GuardSpec | None = None,
    prefix: str = "",
    question: str = "",
) -> str:
    """Speak `prefix`, then `fallback` (with the model's guarded sentence in its place); return the text.

    With `question` (which `fallback` must end with), the model's remark goes between the lead and
    the question; without, the model's statement replaces `fallback`.
    """
    write = _writer(runtime)
    said: list[str] = []

    def emit(text: str, source: Source = "template") -> None:
        for sentence in filter(None, map(clean, split_sentences(text))):
            write(Say(sentence + " ", message_id, source))
            said.append(sentence)

    emit(prefix)
    context = context_of(runtime)
    model = context.chat_model
    status = context.llm_status
    if model is not None and status is not None and not status.available:
        _report_failure(runtime, context, f"the language model is down: {status.reason}")
        model = None  # the template speaks: no call to a dead model
    lead = fallback[: -len(question)].strip() if question and fallback.endswith(question) else fallback
    if question:
        emit(lead)
    wait = model_wait_s(context, " ".join(said))
    if model is None or prompt is None or spec is None or wait < MIN_WAIT_S:
        emit(question or fallback)
        return " ".join(said)

    pattern = REMARK_PATTERN if spec.mode == "remark" else STATEMENT_PATTERN
    sentence: str | None = None
    failure: str | None = None
    try:
        sentence = await asyncio.wait_for(constrained_sentence(model, prompt, pattern=pattern), timeout=wait)
    except TimeoutError:
        if wait >= context.llm_timeout_s:
            failure = f"the language model did not answer within {context.llm_timeout_s:g} s"
        else:
            log.info("model sentence not ready within %.2f s (the lead's playing time); not spoken", wait)
            if status is not None:
                status.count_sentence("late")
    except asyncio.CancelledError:
        raise
    except ValueError as exc:  # a malformed answer: the guard's business, not a failure of the server
        log.info("model sentence malformed (%s); not spoken", exc)
        if status is not None:
            status.count_sentence("rejected")
    except Exception as exc:
        failure = f"the language model failed: {exc.__class__.__name__}: {exc}"
    if failure:
        _report_failure(runtime, context, failure)
    accepted = sentence is not None and _guarded(SentenceGuard(spec), sentence, status)
    if accepted and sentence is not None:
        emit(sentence if sentence.endswith((".", "!")) else f"{sentence}.", "model")
    if question:
        emit(question)
    elif not accepted:
        emit(fallback)
    return " ".join(said)


def _guarded(guard: SentenceGuard, sentence: str, status: Any) -> bool:
    verdict = guard.check(sentence)
    ok = verdict in ("speak", "speak_and_stop")
    if not ok:
        log.info("guard rejected the model's sentence %r (%s)", sentence[:80], guard.reason)
    if status is not None:
        status.count_sentence("spoken" if ok else "rejected")
    return ok


def _report_failure(runtime: Runtime[Context], context: Context, failure: str) -> None:
    """Log and notify a model failure; a known outage is reported once per session."""
    status = context.llm_status
    if status is not None and not status.first_report(context.thread_id):
        return
    log.warning("llm fallback (thread %s): %s", context.thread_id, failure)
    notify(runtime, WarningEvent(code="llm_failed", message=failure))


def spoken_message(text: str, message_id: str, node: str) -> AIMessage:
    return AIMessage(content=text, id=message_id, additional_kwargs={"node": node})
