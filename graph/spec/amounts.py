"""Spoken numbers and amounts: "twenty five", "50k", "between twenty and forty thousand a year".

Number words become digits with `text2num` (`alpha2digit`); this module only reads the digits it
leaves, with their multipliers ("k", "grand", "million"), ranges ("20 to 30k") and, for money,
the currency and the period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from text_to_num import alpha2digit

_MULTIPLIERS = {
    "k": 1_000,
    "grand": 1_000,
    "thousand": 1_000,
    "1000": 1_000,
    "m": 1_000_000,
    "mil": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "1000000": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_AMOUNT = re.compile(
    r"(?<![\w.])(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|grand|thousand|m|mil|millions?|bn|billion|"
    r"1000000|1000)?(?![\w])",
    re.IGNORECASE,
)
_HALF = re.compile(r"\b(\d+) and a half\b")
_RANGE_JOIN = re.compile(r"^\s*(?:to|and|or|-|–|through|up to)\s*$", re.IGNORECASE)

CURRENCIES = {
    "USD": r"\$|\bus ?d(?:ollars?)?\b|\bdollars?\b|\bbucks\b|\busd\b",
    "EUR": r"€|\beuros?\b|\beur\b",
    "GBP": r"£|\bpounds?(?: sterling)?\b|\bgbp\b|\bquid\b",
    "JPY": r"¥|\byen\b|\bjpy\b",
    "CHF": r"\bswiss francs?\b|\bchf\b",
    "INR": r"₹|\brupees?\b|\binr\b",
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
PERIODS = {
    "year": r"\b(?:a|per|each|every) year\b|\byearly\b|\bannual(?:ly)?\b|\bper annum\b|\b/ ?y(?:ea)?r\b",
    "quarter": r"\b(?:a|per|each|every) quarter\b|\bquarterly\b",
    "month": r"\b(?:a|per|each|every) month\b|\bmonthly\b|\b/ ?mo(?:nth)?\b",
    "week": r"\b(?:a|per|each|every) week\b|\bweekly\b",
    "day": r"\b(?:a|per|each|every) day\b|\bdaily\b",
    "once": r"\bone[- ]off\b|\bone time\b|\bin total\b|\boverall\b|\ball in\b",
}


def to_digits(text: str) -> str:
    """Number words as digits: "twenty five thousand" -> "25000", "a hundred" -> "100"."""
    digits = alpha2digit(text, "en", threshold=0)
    digits = _HALF.sub(lambda m: f"{m.group(1)}.5", digits)
    return re.sub(r"\ba (\d)", r"\1", digits)


@dataclass(frozen=True)
class Amount:
    value: float
    multiplied: bool
    start: int
    end: int


def amounts(text: str) -> list[Amount]:
    """Every amount in `text` (number words included), in order, multipliers applied."""
    digits = to_digits(text)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(digits):
        raw = match.group("number").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        mult = (match.group("mult") or "").lower()
        if mult:
            value *= _MULTIPLIERS[mult]
        found.append(Amount(value, bool(mult), match.start(), match.end()))
    # "2.5 1000000" (two point five million) and "15 1000" are one amount
    merged: list[Amount] = []
    for amount in found:
        if (
            merged
            and amount.value in (1_000, 1_000_000)
            and digits[merged[-1].end : amount.start].strip() == ""
        ):
            last = merged.pop()
            amount = Amount(last.value * amount.value, True, last.start, amount.end)
        merged.append(amount)
    return _inherit_scale(merged, digits)


def _inherit_scale(found: list[Amount], digits: str) -> list[Amount]:
    """ "20 to 30k" / "between twenty and forty thousand": the first bound takes the second's scale."""
    out = list(found)
    for i in range(len(out) - 1):
        low, high = out[i], out[i + 1]
        if low.multiplied or low.value >= 1_000 or not _RANGE_JOIN.match(digits[low.end : high.start]):
            continue
        for scale in (1_000_000_000, 1_000_000, 1_000):
            if high.value >= scale and high.value % scale == 0 and low.value * scale <= high.value:
                out[i] = Amount(low.value * scale, True, low.start, low.end)
                break
    return out


def number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def parse_number(text: str) -> int | float | None:
    found = amounts(text)
    return number(found[0].value) if found else None


def _lookup(table: dict[str, str], text: str) -> str | None:
    return next((key for key, pattern in table.items() if re.search(pattern, text, re.IGNORECASE)), None)


def parse_money(
    text: str, *, currency: str | None = None, period: str | None = None
) -> dict[str, Any] | None:
    """{"min", "max", "currency", "period"} from a spoken amount or range, else None.
    "up to 50k" has no min, "at least 10 grand" no max; a single amount has min == max."""
    digits = to_digits(text)
    found = amounts(text)
    if not found:
        return None
    lowered = digits.lower()
    low = high = found[0].value
    is_range = len(found) >= 2 and bool(_RANGE_JOIN.match(digits[found[0].end : found[1].start]))
    if is_range:
        low, high = sorted((found[0].value, found[1].value))
    before = lowered[: found[0].start]
    out: dict[str, Any] = {"min": number(low), "max": number(high)}
    if is_range:
        pass
    elif re.search(r"\b(?:up to|at most|no more than|less than|under|below|max(?:imum)?)\s*\W*$", before):
        out["min"] = None
    elif re.search(r"\b(?:at least|more than|over|above|from|min(?:imum)?|north of)\s*\W*$", before):
        out["max"] = None
    out["currency"] = _lookup(CURRENCIES, digits) or currency
    out["period"] = _lookup(PERIODS, digits) or period
    if out["period"] == "once":
        out["period"] = None
    return out


def money_words(value: dict[str, Any]) -> str:
    """How a money range is read back: "$20,000 to $40,000 a year"."""
    symbol = SYMBOLS.get(value.get("currency") or "", "")
    suffix = "" if symbol or not value.get("currency") else f" {value['currency']}"

    def one(amount: float) -> str:
        return (
            f"{symbol}{amount:,.0f}{suffix}"
            if float(amount).is_integer()
            else f"{symbol}{amount:,.2f}{suffix}"
        )

    low, high = value.get("min"), value.get("max")
    if low is None and high is None:
        text = "an amount"
    elif low is None:
        text = f"up to {one(high)}"  # type: ignore[arg-type]
    elif high is None:
        text = f"at least {one(low)}"
    elif low == high:
        text = one(low)
    else:
        text = f"{one(low)} to {one(high)}"
    return f"{text} a {value['period']}" if value.get("period") else text
