"""Slot types over spoken-style answers (numbers as words or digits, as Whisper writes them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from graph.spec.dates import TODAY
from graph.spec.schema import Slot
from graph.spec.slots import parse, spoken, wants_to_skip


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    token = TODAY.set(datetime(2026, 12, 1, 10, 0))  # a Tuesday
    yield
    TODAY.reset(token)


def slot(kind: str, **settings: Any) -> Slot:
    return Slot(id="x", type=kind, question="What is it?", retry="Say it again.", **settings)


def value(kind: str, text: str, **settings: Any) -> Any:
    parsed = parse(slot(kind, **settings), text, {})
    assert parsed.problem is None, (text, parsed.problem)
    return parsed.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twenty five", 25),
        ("about 25", 25),
        ("two hundred and fifty", 250),
        ("one and a half thousand", 1500),
        ("we have three", 3),
        ("2.5", 2.5),
    ],
)
def test_number(text: str, expected: float) -> None:
    assert value("number", text) == expected


def test_number_out_of_range_is_a_problem() -> None:
    assert parse(slot("number", min=1, max=10), "twelve", {}).problem == "a number from 1.0 to 10.0"
    assert parse(slot("number"), "no idea", {}).problem == "a number"


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period"),
    [
        ("$10,000", 10_000, 10_000, "USD", None),
        ("50k", 50_000, 50_000, "USD", None),
        ("20 to 30k", 20_000, 30_000, "USD", None),
        ("between twenty and forty thousand a year", 20_000, 40_000, "USD", "year"),
        ("about two hundred and fifty thousand dollars", 250_000, 250_000, "USD", None),
        ("up to fifty k per month", None, 50_000, "USD", "month"),
        ("at least ten grand", 10_000, None, "USD", None),
        ("two point five million euros", 2_500_000, 2_500_000, "EUR", None),
        ("£5,000 a month", 5_000, 5_000, "GBP", "month"),
        ("from 500 to 2000", 500, 2_000, "USD", None),
        ("fifteen hundred bucks annually", 1_500, 1_500, "USD", "year"),
    ],
)
def test_money_range(text: str, low: Any, high: Any, currency: str, period: str | None) -> None:
    assert value("money", text, currency="USD") == {
        "min": low,
        "max": high,
        "currency": currency,
        "period": period,
    }


def test_money_currency_from_an_option_and_read_back() -> None:
    money = slot("money", currency="{currency}", period="year")
    parsed = parse(money, "between 20 and 40 thousand", {"currency": "EUR"})
    assert parsed.value == {"min": 20_000, "max": 40_000, "currency": "EUR", "period": "year"}
    assert spoken(money, parsed.value) == "€20,000 to €40,000 a year"
    assert parse(money, "no budget yet", {}).problem == "an amount"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Tuesday", "2026-12-08"),
        ("tomorrow", "2026-12-02"),
        ("friday please", "2026-12-04"),
        ("the fifteenth", "2026-12-15"),
        ("in two weeks", "2026-12-15"),
        ("December the 15th", "2026-12-15"),
    ],
)
def test_date(text: str, expected: str) -> None:
    assert value("date", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm", "15:00"),
        ("at three p.m.", "15:00"),
        ("ten thirty", "10:30"),
        ("two thirty in the afternoon", "14:30"),
        ("half past nine", "09:30"),
        ("in the morning", "09:00"),
        ("10:15", "10:15"),
    ],
)
def test_time(text: str, expected: str) -> None:
    assert value("time", text) == expected


@pytest.mark.parametrize(
    ("text", "by", "days"),
    [
        ("Q3", "2027-09-30", 303),  # Q3 2026 is over on 1 December 2026: next year's
        ("by Q1", "2027-03-31", 120),
        ("in the third quarter of next year", "2027-09-30", 303),
        ("next quarter", "2027-03-31", 120),
        ("within three months", "2027-03-01", 90),
        ("um probably in six weeks", "2027-01-12", 42),
        ("end of next month", "2027-01-31", 61),
        ("the first half of 2027", "2027-06-30", 211),
        ("ASAP", "2026-12-08", 7),
        ("no timeline yet", None, None),
    ],
)
def test_timeline(text: str, by: str | None, days: int | None) -> None:
    assert value("timeline", text) == {"by": by, "days": days}


@pytest.mark.parametrize(
    ("text", "yes", "detail"),
    [
        ("yes, with our CFO", True, "CFO"),
        ("Yeah, together with the finance team.", True, "finance team"),
        ("I do", True, None),
        ("nope, my boss decides", False, "my boss decides"),
        ("not really", False, None),
        ("absolutely, but legal has to sign off too", True, "legal has to sign off too"),
        ("that works for me", True, None),
        ("please don't", False, None),
    ],
)
def test_yes_no_with_follow_on(text: str, yes: bool, detail: str | None) -> None:
    assert value("yes_no", text) == {"yes": yes, "detail": detail}


@pytest.mark.parametrize("text", ["maybe", "I am not sure", "purple"])
def test_unclear_yes_no_is_a_problem(text: str) -> None:
    assert parse(slot("yes_no"), text, {}).problem is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is maria lopez", "Maria Lopez"),
        ("Hello, my name is Jean-Luc Picard.", "Jean-Luc Picard"),
        ("I'm Ana", "Ana"),
        ("it's Sam Jones here", "Sam Jones"),
    ],
)
def test_name(text: str, expected: str) -> None:
    assert value("name", text) == expected


@pytest.mark.parametrize(
    "text", ["call me agent 007", "x", "I would like to book an appointment for my old car"]
)
def test_not_a_name(text: str) -> None:
    assert parse(slot("name"), text, {}).problem is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("maria dot lopez at example dot com", "maria.lopez@example.com"),
        ("it is sam at gmail dot com", "sam@gmail.com"),
        ("Bob@Example.org", "bob@example.org"),
    ],
)
def test_email(text: str, expected: str) -> None:
    assert value("email", text) == expected
    assert parse(slot("email"), "not an email", {}).problem is not None


@pytest.mark.parametrize(
    ("text", "region", "expected", "read_back"),
    [
        ("four one five five five five two six seven one", "US", "+14155552671", "(415) 555-2671"),
        ("(415) 555-2671", "US", "+14155552671", "(415) 555-2671"),
        ("oh two oh seven nine four six oh seven five eight", "GB", "+442079460758", "020 7946 0758"),
        (
            "plus forty four twenty, seven nine four six, oh seven five eight",
            "US",
            "+442079460758",
            "+44 20 7946 0758",
        ),
    ],
)
def test_phone(text: str, region: str, expected: str, read_back: str) -> None:
    assert value("phone", text, region=region) == expected
    assert spoken(slot("phone", region=region), expected) == read_back


def test_not_a_phone_number() -> None:
    assert parse(slot("phone"), "twelve", {}).problem is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not urgent at all", "low"),
        ("no rush", "low"),
        ("medium please", "medium"),
        ("ASAP", "high"),
        ("It's quite urgent actually", "high"),
        ("it is not a big deal", "low"),  # by meaning (the sentence encoder)
    ],
)
def test_urgency(text: str, expected: str) -> None:
    assert value("urgency", text) == expected


@pytest.mark.parametrize("text", ["I am not sure really", "purple"])
def test_unclear_urgency_is_a_problem(text: str) -> None:
    assert parse(slot("urgency"), text, {}).problem is not None


@pytest.mark.parametrize(
    ("text", "expected"), [("seven out of ten", 7), ("a solid 8", 8), ("four out of five", 8)]
)
def test_scale(text: str, expected: int) -> None:
    assert value("scale", text, min=1, max=10) == expected
    assert parse(slot("scale", min=1, max=10), "eleven", {}).problem == "a number from 1 to 10"


KINDS = [
    {"value": "billing", "says": ["a question about my invoice or a charge"]},
    {"value": "technical", "says": ["something is broken", "an error or a crash"]},
    {"value": "sales", "says": ["buying or upgrading a plan"]},
]


@pytest.mark.parametrize(
    ("text", "expected", "sure"),
    [
        ("billing", "billing", True),
        ("it's a billing thing", "billing", True),
        ("I was charged twice", "billing", False),  # by meaning: nothing said outright
        ("I want to upgrade", "sales", False),
    ],
)
def test_choice_by_meaning(text: str, expected: str, sure: bool) -> None:
    parsed = parse(slot("choice", choices=KINDS), text, {})
    assert (parsed.value, parsed.sure) == (expected, sure)


def test_choice_that_fits_nothing_is_a_problem() -> None:
    parsed = parse(slot("choice", choices=KINDS), "purple elephants", {})
    assert parsed.problem == "one of billing, technical, sales"


def test_text_needs_enough_words_and_skips_are_recognised() -> None:
    assert parse(slot("text", min_words=4), "too short", {}).problem == "at least 4 words"
    assert value("text", "A billing problem.") == "A billing problem."
    assert wants_to_skip("skip") and wants_to_skip("I'd rather not say.") and not wants_to_skip("ski trip")


WEIRD = [
    "",
    "   ",
    "😀😀",
    "a" * 5000,
    "1e309",
    "∞",
    "$$$",
    "9" * 40,
    "-5",
    "....",
    "Q9",
    "at 99",
    "25:61",
    "half past 99",
    "in 999999 years",
    "\x00\x01",
    "NaN",
    "12/31/9999",
    "between 5 and",
    "+++1",
    "(((",
]


@pytest.mark.parametrize(
    "kind",
    [
        "text",
        "number",
        "money",
        "date",
        "time",
        "timeline",
        "yes_no",
        "name",
        "email",
        "phone",
        "urgency",
        "scale",
        "choice",
    ],
)
def test_odd_answers_never_crash(kind: str) -> None:
    settings: dict[str, Any] = {"choices": ["a", "b"]} if kind == "choice" else {}
    if kind == "scale":
        settings = {"min": 1, "max": 10}
    for text in WEIRD:
        parsed = parse(slot(kind, **settings), text, {})
        assert parsed.problem is not None or parsed.value is not None or kind == "text", (kind, text)
