"""Slot types: one parser per type turns an answer into a value (or a problem), and `words`
reads a value back aloud.

| type     | value                                          | example answer                        |
|----------|------------------------------------------------|---------------------------------------|
| text     | the answer                                     | "A billing problem."                  |
| number   | int or float                                   | "about twenty five"                   |
| money    | {min, max, currency, period}                   | "between 20 and 40 thousand a year"   |
| date     | "YYYY-MM-DD"                                   | "next Tuesday"                        |
| time     | "HH:MM"                                        | "half past two"                       |
| timeline | {by: "YYYY-MM-DD" or null, days: int or null}  | "Q3", "within three months"           |
| yes_no   | {yes: bool, detail: str or null}               | "yes, with our CFO"                   |
| choice   | one of `choices`                               | "the second one, billing"             |
| name     | the name, capitalised                          | "my name is maria lopez"              |
| email    | the normalised address                         | "maria at example dot com"            |
| phone    | E.164 ("+14155552671")                         | "four one five, five five five ..."   |
| urgency  | low, medium or high                            | "not urgent at all"                   |
| scale    | int from min to max                            | "seven out of ten"                    |
"""

from __future__ import annotations

import logging
import re
import string
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.spec import amounts, choice, dates, words
from graph.spec.schema import Slot

log = logging.getLogger(__name__)
_SKIP = re.compile(
    r"^\W*(?:skip(?: it| this| that)?|pass|next(?: question)?|i'?d rather not(?: say)?|prefer not to say|"
    r"no comment|none|nothing|n/?a|not applicable)\W*$",
    re.I,
)


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    problem: str | None = None
    sure: bool = True
    """False when the parser guessed (a choice matched loosely): `confirm: unsure` reads it back."""


def wants_to_skip(text: str) -> bool:
    return bool(_SKIP.match(text.strip()))


def _text(slot: Slot, text: str) -> Parsed:
    answer = text.strip()
    if len(re.findall(r"\w+", answer)) < slot.min_words:
        return Parsed(problem=f"at least {slot.min_words} words")
    if len(answer) > slot.max_length:
        return Parsed(problem=f"at most {slot.max_length} characters")
    return Parsed(answer)


def _number(slot: Slot, text: str) -> Parsed:
    value = amounts.parse_number(text)
    if value is None:
        return Parsed(problem="a number")
    if (slot.min is not None and value < slot.min) or (slot.max is not None and value > slot.max):
        return Parsed(problem=f"a number from {slot.min} to {slot.max}")
    return Parsed(value)


def _money(slot: Slot, text: str, options: Mapping[str, Any]) -> Parsed:
    currency = (
        string.Formatter().vformat(slot.currency, (), defaultdict(str, options)) if slot.currency else ""
    )
    value = amounts.parse_money(text, currency=currency or None, period=slot.period)
    return Parsed(value) if value is not None else Parsed(problem="an amount")


def _date(slot: Slot, text: str) -> Parsed:
    day = dates.parse_date(text)
    return Parsed(day.isoformat()) if day is not None else Parsed(problem="a day")


def _time(slot: Slot, text: str) -> Parsed:
    clock = dates.parse_time(text)
    return Parsed(clock.strftime("%H:%M")) if clock is not None else Parsed(problem="a time of day")


def _timeline(slot: Slot, text: str) -> Parsed:
    value = dates.parse_timeline(text)
    return Parsed(value) if value is not None else Parsed(problem="a time frame")


def _pair(result: tuple[Any, str | None]) -> Parsed:
    value, problem = result
    return Parsed(problem=problem) if problem is not None else Parsed(value)


def _choice(slot: Slot, text: str, options: tuple[choice.Choice, ...]) -> Parsed:
    value, confidence = choice.match_choice(text, options)
    if value is None:
        return Parsed(problem="one of " + ", ".join(c.value for c in options))
    return Parsed(value, sure=confidence >= 0.99)


def parse(slot: Slot, text: str, options: Mapping[str, Any] | None = None) -> Parsed:
    """The value of `text` as an answer for `slot`, or the problem with it (never raises: an
    answer a parser cannot read is a problem to ask again about, not a crash)."""
    try:
        return _parse(slot, text[:2000], options)
    except (ValueError, OverflowError, ArithmeticError) as exc:
        log.warning("slot %s (%s) could not read %r: %s", slot.id, slot.type, text[:80], exc)
        return Parsed(problem="I could not make that out")


def _parse(slot: Slot, text: str, options: Mapping[str, Any] | None) -> Parsed:
    kind = slot.type
    if kind == "text":
        return _text(slot, text)
    if kind == "number":
        return _number(slot, text)
    if kind == "money":
        return _money(slot, text, options or {})
    if kind == "date":
        return _date(slot, text)
    if kind == "time":
        return _time(slot, text)
    if kind == "timeline":
        return _timeline(slot, text)
    if kind == "yes_no":
        return _pair(words.parse_yes_no(text))
    if kind == "name":
        return _pair(words.parse_name(text))
    if kind == "email":
        return _pair(words.parse_email(text))
    if kind == "phone":
        return _pair(words.parse_phone(text, slot.region))
    if kind == "urgency":
        return _choice(slot, text, choice.URGENCY)
    if kind == "scale":
        return _pair(choice.parse_scale(text, int(slot.min or 0), int(slot.max or 10)))
    return _choice(
        slot,
        text,
        choice.choices_of([c if isinstance(c, str) else c.model_dump() for c in slot.choices or []]),
    )


def spoken(slot: Slot, value: Any) -> str:
    """A value as it is read back aloud ("$20,000 to $40,000 a year", "Tuesday 8 December")."""
    if value is None:
        return "not given"
    kind = slot.type
    if kind == "money":
        return amounts.money_words(value)
    if kind == "date":
        return dates.date_words(value)
    if kind == "time":
        return dates.time_words(value)
    if kind == "timeline":
        return (
            f"by {dates.date_words(value['by'], weekday=False)}" if value.get("by") else "no set time frame"
        )
    if kind == "yes_no":
        return words.yes_no_words(value)
    if kind == "phone":
        return words.phone_words(value, slot.region)
    if kind == "number":
        return f"{value:,}"
    return str(value).strip().rstrip(".!")
