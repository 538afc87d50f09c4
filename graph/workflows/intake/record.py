"""The intake record (pydantic) and the field list (fields.yaml), validated on load."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from graph.content import ContentError, load_entries

FIELDS_FILE = Path(__file__).parent / "fields.yaml"
FIELD_IDS = ("name", "reason", "details", "urgency")


def _name(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = re.sub(r"^(hi|hello|hey)[,!.]?\s+", "", value.strip(), flags=re.I)
    text = re.sub(r"^(my name is|my name's|i am|i'm|it's|it is|this is|call me)\s+", "", text, flags=re.I)
    return text.strip(" .!,").title() if text.islower() else text.strip(" .!,")


def _urgency(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.lower()
    if re.search(r"\b(not (very |that )?urgent|low|no rush|whenever|not important)\b", text):
        return "low"
    if re.search(r"\b(medium|moderate|normal|fairly|soonish|this week)\b", text):
        return "medium"
    if re.search(r"\b(high|urgent|asap|emergency|critical|immediately|right now|very)\b", text):
        return "high"
    return text.strip()


def _sentence(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Name = Annotated[
    str,
    BeforeValidator(_name),
    Field(min_length=2, max_length=60, pattern=r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' .-]*$"),
]
Reason = Annotated[str, BeforeValidator(_sentence), Field(min_length=3, max_length=200, pattern=r"\w+\W+\w+")]
Details = Annotated[
    str, BeforeValidator(_sentence), Field(min_length=10, max_length=1000, pattern=r"(\w+\W+){3,}\w+")
]
Urgency = Annotated[Literal["low", "medium", "high"], BeforeValidator(_urgency)]


class IntakeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    reason: Reason
    details: Details
    urgency: Urgency


_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "name": TypeAdapter(Name),
    "reason": TypeAdapter(Reason),
    "details": TypeAdapter(Details),
    "urgency": TypeAdapter(Urgency),
}


def validate_field(field: str, answer: str) -> tuple[Any, str | None]:
    """(value, None) when the answer is valid for `field`, else (None, reason)."""
    try:
        return _ADAPTERS[field].validate_python(answer), None
    except ValidationError as exc:
        return None, exc.errors()[0]["msg"]


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Literal["name", "reason", "details", "urgency"]
    question: str = Field(min_length=5)
    retry: str = Field(min_length=5)


@cache
def load_fields(path: Path = FIELDS_FILE) -> dict[str, FieldSpec]:
    fields: dict[str, FieldSpec] = {f.id: f for f in load_entries(path, FieldSpec, key="fields")}
    missing = [f for f in FIELD_IDS if f not in fields]
    if missing:
        raise ContentError(f"{path}: missing field(s) {', '.join(missing)}")
    return fields
