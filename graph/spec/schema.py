"""The workflow spec: what a designer writes in YAML, as pydantic models.

`WorkflowSpec.model_json_schema()` is published as `graph/spec/workflow.schema.json` for editor
completion (`voice-agent workflow schema`). Cross-field rules (conditions name earlier slots,
templates name known slots, option names do not clash) are checked in `WorkflowSpec`'s validator.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SlotType = Literal[
    "text",
    "number",
    "money",
    "date",
    "time",
    "timeline",
    "yes_no",
    "choice",
    "name",
    "email",
    "phone",
    "urgency",
    "scale",
]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
RESERVED = frozenset({"missing", "verdict", "verdict_reason", "options"})


class Test(BaseModel):
    """A test on one value; every test given must hold."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    is_: Any = Field(None, alias="is", description="Equal to this (yes / no for a yes_no slot).")
    not_: Any = Field(None, alias="not", description="Anything but this.")
    one_of: list[Any] | None = Field(None, description="Equal to one of these.")
    at_least: float | None = Field(None, description="A number (or money bound, or days) >= this.")
    at_most: float | None = Field(None, description="A number (or money bound, or days) <= this.")
    present: bool | None = Field(None, description="true: the slot has a value; false: it has none.")
    contains: str | None = Field(None, description="The text contains this word or phrase.")


Condition = dict[str, Any]
"""`{path: test}`, all must hold. A path is a slot id (`budget`), a part of it (`budget.min`,
`timeline.days`, `authority.detail`) or an option (`options.user`). A test is a value, a list
(one of) or a `Test` mapping."""


class ChoiceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1)
    says: list[str] = Field(default_factory=list, description="Other ways people say this choice.")


class Slot(BaseModel):
    """One thing to ask for."""

    model_config = ConfigDict(extra="forbid")

    id: Ident
    type: SlotType = "text"
    question: str = Field(min_length=3, description="The question; may name earlier slots: {day}.")
    retry: str = Field(min_length=3, description="Said before the question when an answer does not fit.")
    label: str | None = Field(None, description="How the slot is named aloud (default: the id).")
    required: bool = True
    ask_if: Condition | list[Condition] | None = Field(
        None, description="Ask only when this holds on earlier slots (a list: any of them)."
    )
    confirm: Literal["never", "always", "unsure"] = Field(
        "never", description="Read the value back and wait for a yes: never, always, or when unsure."
    )
    confirm_question: str = Field("I have {value}. Is that right?", description="{value}: the read-back.")
    max_attempts: int | None = Field(None, ge=1, le=10)
    choices: list[str | ChoiceItem] | None = Field(None, description="choice: the values to pick from.")
    min: float | None = Field(None, description="number / scale: the least value.")
    max: float | None = Field(None, description="number / scale: the greatest value.")
    min_words: int = Field(1, ge=1, le=200, description="text: words needed at least.")
    max_length: int = Field(1000, ge=1, le=10_000, description="text: characters at most.")
    currency: str | None = Field(
        None, description="money: ISO code assumed when none is said, e.g. USD, or an option: {currency}."
    )
    period: Literal["year", "quarter", "month", "week", "day"] | None = Field(
        None, description="money: the period assumed when none is said."
    )
    region: str = Field("US", description="phone: the country assumed for national numbers.")

    @model_validator(mode="after")
    def _type_settings(self) -> Slot:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice slot needs `choices:` (a list of values)")
        if self.choices and self.type != "choice":
            raise ValueError(f"`choices:` is only for type choice, not {self.type}")
        if self.type == "scale" and (self.min is None or self.max is None):
            raise ValueError("a scale slot needs `min:` and `max:`")
        return self

    @property
    def spoken_label(self) -> str:
        return self.label or self.id.replace("_", " ")


class OptionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Ident
    type: Literal["choice", "int", "str"] = "str"
    default: Any = None
    help: str = Field(min_length=3)
    choices: list[str] | None = None
    min: int | None = None
    max: int | None = None


class Outcome(BaseModel):
    """A verdict when its condition holds (first match wins; no `when`: always)."""

    model_config = ConfigDict(extra="forbid")

    verdict: str = Field(min_length=1)
    reason: str = Field(min_length=3, description="Why; may name slots: {budget}.")
    when: Condition | list[Condition] | None = None


class Readback(BaseModel):
    model_config = ConfigDict(extra="forbid")

    complete: str = Field(
        min_length=3, description="Read back when every required slot is filled; {slot}, {verdict}."
    )
    partial: str = Field(
        "Thank you. I've noted what you told me so far; we still need your {missing}.",
        description="Read back when something required is missing; {missing}.",
    )


class Example(BaseModel):
    """A scripted conversation `voice-agent workflow test` runs: user lines, then what must result."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=3)
    today: str | None = Field(None, description="Pin 'today' (YYYY-MM-DD) so relative dates are fixed.")
    options: dict[str, Any] = Field(default_factory=dict)
    user: list[str] = Field(min_length=1, description="What the user says, turn by turn.")
    values: dict[str, Any] = Field(
        default_factory=dict, description="Expected slot values (a mapping: a subset)."
    )
    verdict: str | None = None
    complete: bool | None = None
    says: list[str] = Field(default_factory=list, description="Phrases the agent must have spoken.")


class WorkflowSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Ident
    title: str = Field(min_length=3)
    description: str = Field(min_length=10)
    order: int = Field(100, description="Place in the workflow list (lower first).")
    persona: str = Field(min_length=3, description="Who the agent is, for the phrasing model.")
    context: str = Field(min_length=3, description="One sentence of what this conversation is for.")
    greeting: str = Field(min_length=3, description="First words; may name options: {user}.")
    first_lead: str = Field("Let's start.", description="Said before the first question.")
    next_lead: str = Field("Thank you.", description="Said before each next question.")
    next_lead_goal: str = Field("thank them briefly", description="What the model's lead-in does.")
    progress_noun: str = Field("details", description='"Welcome back — we were on 2 of 4 details."')
    max_attempts: int = Field(
        3, ge=1, le=10, description="Answers that do not fit before a slot is given up."
    )
    options: list[OptionSpec] = Field(default_factory=list)
    slots: list[Slot] = Field(min_length=1)
    readback: Readback
    closing: str = Field(min_length=3, description="The last sentence (template).")
    closing_goal: str = Field("thank them and say goodbye", description="What the model's closing does.")
    outcomes: list[Outcome] = Field(default_factory=list)
    report: list[str] | None = Field(None, description="Slots in the report's record (default: all).")
    examples: list[Example] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> WorkflowSpec:
        ids = [s.id for s in self.slots]
        options = {o.name for o in self.options} | {"user"}
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate slot id {next(i for i in ids if ids.count(i) > 1)!r}")
        for name in set(ids) & (RESERVED | options):
            raise ValueError(f"slot id {name!r} is reserved or is also an option name; rename it")
        from graph.spec.conditions import check

        for index, slot in enumerate(self.slots):
            earlier = set(ids[:index])
            check(slot.ask_if)
            for path in _paths(slot.ask_if):
                _check_path(path, earlier, options, f"slot {slot.id!r} ask_if", "an earlier slot")
            for text in (slot.question, slot.retry):
                _check_template(text, earlier | options, f"slot {slot.id!r}")
            _check_template(slot.confirm_question, earlier | options | {"value"}, f"slot {slot.id!r}")
            _check_template(slot.currency or "", options, f"slot {slot.id!r} currency")
        for outcome in self.outcomes:
            check(outcome.when)
            _check_template(outcome.reason, set(ids) | options, f"outcome {outcome.verdict!r} reason")
            for path in _paths(outcome.when):
                _check_path(path, set(ids), options, f"outcome {outcome.verdict!r}", "a slot")
        named = set(ids) | options | {"verdict", "verdict_reason"}
        _check_template(self.readback.complete, named, "readback.complete")
        _check_template(self.readback.partial, named | {"missing"}, "readback.partial")
        _check_template(self.greeting, options, "greeting")
        for name in self.report or []:
            if name not in ids:
                raise ValueError(f"report names {name!r}, which is not a slot (slots: {', '.join(ids)})")
        return self


def _paths(condition: Condition | list[Condition] | None) -> list[str]:
    if condition is None:
        return []
    return [path for part in (condition if isinstance(condition, list) else [condition]) for path in part]


def _check_path(path: str, slots: set[str], options: set[str], where: str, what: str) -> None:
    head, _, rest = path.partition(".")
    if head == "options" and rest in options:
        return
    if head not in slots:
        raise ValueError(
            f"{where}: {path!r} does not name {what} (known: {', '.join(sorted(slots)) or 'none'})"
        )


def _check_template(text: str, known: set[str], where: str) -> None:
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None and field not in known:
            hint = f"{{{field}}}" if field else "{}"
            raise ValueError(
                f"{where}: {hint} is not something it can name here (known: {', '.join(sorted(known))})"
            )
