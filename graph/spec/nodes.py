"""The nodes of a spec workflow (greet, record_answer, ask_slot, wrap_up, welcome_back), made for
one `WorkflowSpec` by `make_nodes`.

Phases: `asking` (waiting for an answer to `field`), `confirming` (waiting for yes / no to a
read-back), `unheard` (the question was cut off before the user heard it: the next answer is
taken if it fits, else the question is asked again without counting a try); after an answer:
`recorded` / `invalid` / `confirm` / `not_confirmed` / `repeat`, which `ask_slot` turns into the
next thing to say.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.runtime import Runtime

from graph import prompts as common
from graph.context import Context, context_of
from graph.nodes import ask, finish, last_user_text, say
from graph.notices import notify
from graph.spec.report import build_report, counted, fill, next_slot, readback, slot_values
from graph.spec.schema import Slot, WorkflowSpec
from graph.spec.slots import Parsed, parse, spoken, wants_to_skip
from graph.spec.state import SpecState
from graph.spec.words import parse_yes_no
from voice_io.events import EvaluationEvent

Node = Callable[[SpecState, Runtime[Context]], Awaitable[dict[str, Any]]]
NOT_CONFIRMED = "Sorry about that."


def where(spec: WorkflowSpec, state: SpecState) -> str:
    record, skipped = state.get("record", {}), state.get("skipped", [])
    count = counted(spec, record, skipped, state.get("options", {}))
    return f"{len(record)} of {count} {spec.progress_noun}"


def _confirming(slot: Slot, parsed: Parsed) -> bool:
    return slot.confirm == "always" or (slot.confirm == "unsure" and not parsed.sure)


def _answer(slot: Slot, state: SpecState, text: str) -> tuple[Parsed, str]:
    """The parsed answer and the phase it leads to (`recorded`, `confirm`, `invalid`, ...)."""
    phase, options = state.get("phase"), state.get("options", {})
    if phase == "confirming":
        reply, _ = parse_yes_no(text)
        if reply is None:
            return Parsed(problem="please answer yes or no"), "confirm"
        if reply["yes"]:
            return Parsed(state.get("pending")), "recorded"
        correction = (
            parse(slot, reply["detail"], options) if reply.get("detail") else Parsed(problem="not confirmed")
        )
        return (correction, "recorded") if correction.problem is None else (correction, "not_confirmed")
    if not slot.required and wants_to_skip(text):
        return Parsed(), "declined"
    parsed = parse(slot, text, options)
    if parsed.problem is not None:
        return parsed, "repeat" if phase == "unheard" else "invalid"
    return parsed, "confirm" if _confirming(slot, parsed) else "recorded"


def make_nodes(spec: WorkflowSpec) -> dict[str, Node]:
    slots = {s.id: s for s in spec.slots}
    limit = {s.id: s.max_attempts or spec.max_attempts for s in spec.slots}

    async def greet(state: SpecState, runtime: Runtime[Context]) -> dict[str, Any]:
        options = dict(context_of(runtime).options)
        first = next_slot(spec, {}, [], options)
        fresh: SpecState = {"options": options, "record": {}}
        start = {"options": options, "record": {}, "attempts": 0, "skipped": [], "pending": None, "reasks": 0}
        if first is None:  # these options leave nothing to ask: the next event wraps up
            said = await say(runtime, node="greet", text=fill(spec.greeting, options))
            return {**said, **start, "phase": "recorded", "field": None}
        update = await ask(
            runtime,
            node="greet",
            prefix=fill(spec.greeting, options),
            question=fill(first.question, slot_values(spec, fresh)),
            lead=spec.first_lead,
            persona=spec.persona,
            context=spec.context,
        )
        return {**update, **start, "phase": "asking", "field": first.id}

    async def record_answer(state: SpecState, runtime: Runtime[Context]) -> dict[str, Any]:
        field = state.get("field") or spec.slots[0].id
        slot = slots[field]
        record, skipped = dict(state.get("record", {})), list(state.get("skipped", []))
        parsed, phase = await asyncio.to_thread(_answer, slot, state, last_user_text(state))
        attempts, pending = state.get("attempts", 0), None
        if phase == "recorded":
            record[field], attempts = parsed.value, 0
        elif phase == "declined":
            skipped.append(field)
            attempts, phase = 0, "recorded"
        elif phase == "confirm" and parsed.problem is None:
            pending = parsed.value
        elif phase != "repeat":
            attempts += 1
            if attempts >= limit[field]:
                skipped.append(field)
                attempts, phase = 0, "recorded"
        if phase == "confirm" and parsed.problem is not None:
            pending = state.get("pending")
        upcoming = field if phase != "recorded" else None
        if upcoming is None and (following := next_slot(spec, record, skipped, state.get("options", {}))):
            upcoming = following.id
        evaluation = {
            "workflow": spec.name,
            "field": field,
            "valid": parsed.problem is None and phase in ("recorded", "confirm"),
            "problem": parsed.problem,
            "record": record,
        }
        notify(runtime, EvaluationEvent(evaluation, turn_id=state.get("turn_id")))
        return {
            "record": record,
            "skipped": skipped,
            "attempts": attempts,
            "pending": pending,
            "field": upcoming,
            "phase": phase,
            "reasks": 0,
        }

    async def ask_slot(state: SpecState, runtime: Runtime[Context]) -> dict[str, Any]:
        slot = slots[state.get("field") or spec.slots[0].id]
        phase = state.get("phase")
        values = slot_values(spec, state)
        if phase == "confirm":
            question = fill(slot.confirm_question, {**values, "value": spoken(slot, state.get("pending"))})
            update = await ask(
                runtime,
                node="ask_slot",
                question=question,
                lead="",
                persona=spec.persona,
                context=spec.context,
                echo_of=last_user_text(state),
            )
            return {**update, "phase": "confirming"}
        prefix = {"invalid": slot.retry, "not_confirmed": NOT_CONFIRMED}.get(phase or "", "")
        lead = "" if prefix or phase == "repeat" else spec.next_lead
        update = await ask(
            runtime,
            node="ask_slot",
            prefix=prefix,
            question=fill(slot.question, values),
            lead=lead,
            persona=spec.persona,
            context=spec.context,
            echo_of=last_user_text(state),
        )
        return {**update, "phase": "asking"}

    async def wrap_up(state: SpecState, runtime: Runtime[Context]) -> dict[str, Any]:
        report = build_report(spec, state)
        return await finish(
            runtime,
            report,
            summary=readback(spec, state, report),
            text=fill(spec.closing, state.get("options", {})),
            persona=spec.persona,
            context=spec.context,
            goal=spec.closing_goal,
        )

    async def welcome_back(state: SpecState, runtime: Runtime[Context]) -> dict[str, Any]:
        text = common.WELCOME_BACK.format(where=where(spec, state))
        if state.get("asked_text"):
            text = f"{text} {state['asked_text']}"
        return await say(runtime, node="welcome_back", text=text)

    return {
        "greet": greet,
        "record_answer": record_answer,
        "ask_slot": ask_slot,
        "wrap_up": wrap_up,
        "welcome_back": welcome_back,
    }
