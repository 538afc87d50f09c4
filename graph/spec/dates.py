"""Spoken dates, times and timelines: "next Tuesday at 3pm", "in two weeks", "Q3", "end of next month".

Calendar expressions go to `dateparser` (relative to `now()`, preferring the future); quarters,
halves and "within N months" are read here first because dateparser does not know them.
`TODAY` pins "now" (a spec's `examples:` set it so their expected dates hold on any day).
"""

from __future__ import annotations

import calendar
import re
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any

from graph.spec.amounts import to_digits

TODAY: ContextVar[datetime | None] = ContextVar("spec_today", default=None)

_ORDINAL = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "last": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_QUARTER = re.compile(r"\bq([1-4])\b|\b(first|second|third|fourth|last|1st|2nd|3rd|4th) quarter\b", re.I)
_HALF = re.compile(r"\bh([12])\b|\b(first|second|1st|2nd) half\b", re.I)
_WITHIN = re.compile(
    r"\b(?:within|in|next|inside|under|about|around)\s+(?:the next\s+)?(\d+)\s+(day|week|month|year)s?\b",
    re.I,
)
_A_UNIT = re.compile(r"\b(?:within|in|inside)\s+(?:a|one|the next)\s+(day|week|month|year)\b", re.I)
_SOON = re.compile(
    r"\b(asap|as soon as possible|right away|immediately|right now|urgently|this week)\b", re.I
)
_NONE = re.compile(
    r"\b(no (?:timeline|timeframe|time frame|deadline|rush|plans?|date)|not (?:sure|yet|decided)|"
    r"don'?t know|no idea|undecided|at some point|someday|one day)\b",
    re.I,
)
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def now() -> datetime:
    return TODAY.get() or datetime.now().replace(second=0, microsecond=0)


def _quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def _relative_end(text: str, base: date) -> date | None:
    """End dates for quarter / half / year expressions dateparser does not read."""
    lowered = text.lower()
    year_match = re.search(r"\b(20\d\d)\b", lowered)
    next_year = "next year" in lowered
    year = int(year_match.group(1)) if year_match else base.year + (1 if next_year else 0)
    if match := _QUARTER.search(lowered):
        quarter = int(match.group(1)) if match.group(1) else _ORDINAL[match.group(2).lower()]
        end = _quarter_end(year, quarter)
        return end if end >= base or year_match or next_year else _quarter_end(year + 1, quarter)
    if re.search(r"\bnext quarter\b", lowered):
        q = (base.month - 1) // 3 + 2
        return _quarter_end(base.year + (q > 4), (q - 1) % 4 + 1)
    if re.search(r"\b(this|the) quarter\b|\bend of (the )?quarter\b", lowered):
        return _quarter_end(base.year, (base.month - 1) // 3 + 1)
    if match := _HALF.search(lowered):
        half = (
            int(match.group(1))
            if match.group(1)
            else (1 if match.group(2).lower() in ("first", "1st") else 2)
        )
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return end if end >= base or year_match or next_year else end.replace(year=end.year + 1)
    if re.search(r"\bend of next month\b", lowered):
        first = (base.replace(day=1) + timedelta(days=32)).replace(day=1)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if re.search(r"\b(end of|by the end of|later) (this|the) month\b", lowered):
        return base.replace(day=calendar.monthrange(base.year, base.month)[1])
    if re.search(r"\b(this year|end of (the )?year|by (the )?end of (the )?year|year end)\b", lowered):
        return date(base.year, 12, 31)
    if next_year or year_match:
        return date(year, 12, 31)
    return None


def _dateparser(text: str, base: datetime) -> datetime | None:
    import dateparser
    from dateparser.search import search_dates

    settings: Any = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
    whole = dateparser.parse(text, languages=["en"], settings=settings)
    if whole is not None:
        return whole
    found = search_dates(text, languages=["en"], settings=settings)
    return found[-1][1] if found else None


def _clean(text: str) -> str:
    digits = to_digits(text)
    digits = re.sub(
        r"\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)", lambda m: f"{m.group(1)}{m.group(2).replace('.', '')}", digits
    )
    digits = re.sub(r"\b(\d{1,2}) ([0-5]\d)\b", r"\1:\2", digits)  # "two thirty" -> 2:30
    return re.sub(
        r"\b(?:um+|uh+|er+|erm|like|maybe|probably|hopefully|i think|ideally)\b,?", " ", digits, flags=re.I
    )


def parse_date(text: str) -> date | None:
    base = now()
    cleaned = _clean(text)
    if (end := _relative_end(cleaned, base.date())) is not None:
        return end
    found = _dateparser(cleaned, base)
    return found.date() if found else None


_PART_OF_DAY = {
    "morning": time(9, 0),
    "noon": time(12, 0),
    "midday": time(12, 0),
    "lunchtime": time(12, 0),
    "afternoon": time(14, 0),
    "evening": time(18, 0),
}
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(\d{1,2}):(\d{2})\b|\bat (\d{1,2})\b", re.I)


def parse_time(text: str) -> time | None:
    cleaned = _clean(text)
    later = bool(re.search(r"\b(afternoon|evening|tonight)\b", cleaned, re.I))
    if match := _CLOCK.search(cleaned):
        if match.group(1):
            hour, minute = int(match.group(1)) % 12, int(match.group(2) or 0)
            hour += 12 if match.group(3).lower() == "pm" else 0
        else:
            hour, minute = (
                (int(match.group(4)), int(match.group(5))) if match.group(4) else (int(match.group(6)), 0)
            )
            hour += 12 if hour < 12 and (later or 1 <= hour <= 6) else 0  # "at 3": afternoon
        return time(hour, minute) if hour < 24 and minute < 60 else None
    if half := re.search(r"\bhalf past (\d{1,2})\b", cleaned):
        hour = int(half.group(1))
        hour += 12 if hour < 12 and (later or 1 <= hour <= 6) else 0
        return time(hour, 30) if hour < 24 else None
    return next((t for word, t in _PART_OF_DAY.items() if re.search(rf"\b{word}\b", cleaned, re.I)), None)


def parse_timeline(text: str) -> dict[str, Any] | None:
    """{"by": ISO date | None, "days": days from today | None}; "no timeline yet" -> both None."""
    base = now().date()
    cleaned = _clean(text)
    if _SOON.search(cleaned):
        by: date | None = base + timedelta(days=7)
    elif match := _WITHIN.search(cleaned):
        days = int(match.group(1)) * _DAYS[match.group(2).lower()]
        if days > 36_500:  # a century: not a timeline
            return None
        by = base + timedelta(days=days)
    elif match := _A_UNIT.search(cleaned):
        by = base + timedelta(days=_DAYS[match.group(1).lower()])
    elif _NONE.search(cleaned):
        return {"by": None, "days": None}
    else:
        by = parse_date(text)
    if by is None:
        return None
    return {"by": by.isoformat(), "days": (by - base).days}


def date_words(value: str, *, weekday: bool = True) -> str:
    day = date.fromisoformat(value)
    return f"{day.strftime('%A') + ' ' if weekday else ''}{day.day} {day.strftime('%B')}" + (
        f" {day.year}" if day.year != now().year else ""
    )


def time_words(value: str) -> str:
    clock = time.fromisoformat(value)
    hour = clock.hour % 12 or 12
    minutes = f":{clock.minute:02d}" if clock.minute else ""
    return f"{hour}{minutes} {'pm' if clock.hour >= 12 else 'am'}"
