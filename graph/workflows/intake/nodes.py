"""Intake nodes: greet, record_answer, ask_field, wrap_up, welcome_back."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph import prompts as common
from graph.context import Context, context_of
from graph.nodes import ask, last_user_text, say
from graph.speech import notify
from graph.state import IntakeState
from graph.workflows.intake import prompts
from graph.workflows.intake.record import FIELD_IDS, IntakeRecord, load_fields, validate_field

MAX_ATTEMPTS = 3
"""Invalid answers to one field before moving on without it."""


def next_field(record: dict[str, Any], skipped: list[str]) -> str | None:
    return next((f for f in FIELD_IDS if f not in record and f not in skipped), None)


async def greet(state: IntakeState, runtime: Runtime[Context]) -> dict[str, Any]:
    options = context_of(runtime).options
    name = f" {options['user']}" if options.get("user") else ""
    spec = load_fields()["name"]
    update = await ask(
        runtime,
        node="greet",
        prefix=prompts.GREETING.format(name=name),
        question=spec.question,
        lead=prompts.LEAD_FIRST,
        persona=prompts.PERSONA,
        context=prompts.CONTEXT,
        lead_goal="say you are starting",
    )
    return {
        **update,
        "phase": "asking",
        "options": dict(options),
        "field": "name",
        "record": {},
        "attempts": 0,
        "skipped": [],
        "reasks": 0,
    }


async def record_answer(state: IntakeState, runtime: Runtime[Context]) -> dict[str, Any]:
    field = state.get("field") or "name"
    record = dict(state.get("record", {}))
    skipped = list(state.get("skipped", []))
    value, problem = validate_field(field, last_user_text(state))
    attempts = state.get("attempts", 0)
    if problem is None:
        record[field] = value
        attempts = 0
    else:
        attempts += 1
        if attempts >= MAX_ATTEMPTS:
            skipped.append(field)
            attempts = 0
    upcoming = field if problem is not None and field not in skipped else next_field(record, skipped)
    notify(
        runtime,
        {
            "type": "evaluation",
            "workflow": "intake",
            "field": field,
            "valid": problem is None,
            "problem": problem,
            "record": record,
            "turn_id": state.get("turn_id"),
        },
    )
    return {
        "record": record,
        "skipped": skipped,
        "attempts": attempts,
        "field": upcoming,
        "phase": "invalid" if upcoming == field and problem is not None else "recorded",
        "reasks": 0,
    }


async def ask_field(state: IntakeState, runtime: Runtime[Context]) -> dict[str, Any]:
    field = state.get("field") or "name"
    spec = load_fields()[field]
    retry = state.get("phase") == "invalid"
    update = await ask(
        runtime,
        node="ask_field",
        prefix=spec.retry if retry else "",
        question=spec.question,
        lead="" if retry else prompts.LEAD_NEXT,
        persona=prompts.PERSONA,
        context=prompts.CONTEXT,
        lead_goal=prompts.LEAD_GOAL,
        echo_of=last_user_text(state),
    )
    return {**update, "phase": "asking"}


def build_report(state: IntakeState) -> dict[str, Any]:
    record = dict(state.get("record", {}))
    missing = [f for f in FIELD_IDS if f not in record]
    report: dict[str, Any] = {
        "workflow": "intake",
        "record": record,
        "complete": not missing,
        "missing": missing,
    }
    if not missing:
        report["record"] = IntakeRecord.model_validate(record).model_dump()
    return report


async def wrap_up(state: IntakeState, runtime: Runtime[Context]) -> dict[str, Any]:
    report = build_report(state)
    record = report["record"]
    if report["complete"]:
        summary = prompts.SUMMARY.format(
            name=record["name"], reason=record["reason"].rstrip("."), urgency=record["urgency"]
        )
    else:
        summary = prompts.SUMMARY_PARTIAL.format(missing=" and ".join(report["missing"]))
    update = await say(
        runtime,
        node="wrap_up",
        prefix=summary,
        text=prompts.CLOSING,
        persona=prompts.PERSONA,
        context=prompts.CONTEXT,
        goal=prompts.CLOSING_GOAL,
    )
    report["spoken_summary"] = update["messages"][0].content
    return {**update, "phase": "done", "summary": report}


async def welcome_back(state: IntakeState, runtime: Runtime[Context]) -> dict[str, Any]:
    where = prompts.WELCOME_BACK_WHERE.format(done=len(state.get("record", {})), count=len(FIELD_IDS))
    text = common.WELCOME_BACK.format(where=where)
    if state.get("asked_text"):
        text = f"{text} {state['asked_text']}"
    return await say(runtime, node="welcome_back", text=text)
