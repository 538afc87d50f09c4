"""The interview question bank: YAML files in `questions/`, validated with pydantic on load, and
question selection (graph logic, never the model)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph.content import ContentError, load_entries, load_mapping

QUESTIONS_DIR = Path(__file__).parent / "questions"
ROLES = ("backend engineer", "frontend engineer", "data scientist", "product manager", "behavioural")
SENIORITY_DIFFICULTY = {"junior": 1, "mid": 2, "senior": 3}


class Misconception(BaseModel):
    """A wrong thing candidates often say, and what is true instead (both whole sentences)."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=10)
    correction: str = Field(min_length=10)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    competency: str = Field(min_length=1)
    difficulty: int = Field(ge=1, le=3)
    kind: Literal["behavioural", "technical"]
    text: str = Field(min_length=10)
    key_points: list[str] = Field(default_factory=list)
    """Short labels of what a good answer covers (the reference points when not given)."""
    reference_points: list[str] = Field(default_factory=list)
    """What a good answer says, as sentences: the semantic evaluator checks coverage by meaning."""
    misconceptions: list[Misconception] = Field(default_factory=list)
    follow_ups: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_points(self) -> Question:
        if not self.key_points and not self.reference_points:
            raise ValueError("a question needs key_points or reference_points")
        if not self.key_points:
            self.key_points = list(self.reference_points)
        return self

    @field_validator("text")
    @classmethod
    def _one_question(cls, value: str) -> str:
        if value.count("?") > 1:
            raise ValueError("a question text must hold at most one question")
        return value.strip()


def load_bank_file(path: Path) -> tuple[str, list[Question]]:
    role = load_mapping(path).get("role")
    if not isinstance(role, str) or not role:
        raise ContentError(f"{path}: missing top-level 'role'")
    return role, load_entries(path, Question, key="questions")


@cache
def load_bank(directory: Path = QUESTIONS_DIR) -> dict[str, list[Question]]:
    """role → questions, from every YAML file in `directory` (ContentError names file + entry)."""
    bank: dict[str, list[Question]] = {}
    for path in sorted(directory.glob("*.yaml")):
        role, questions = load_bank_file(path)
        bank.setdefault(role, []).extend(questions)
    for role in ROLES:
        if len(bank.get(role, [])) < 3:
            raise ContentError(f"{directory}: role {role!r} needs at least 3 questions")
    return bank


def question_dicts(bank: dict[str, list[Question]] | None = None) -> list[dict[str, Any]]:
    """All questions as dicts for storage.replace_questions (role added)."""
    bank = bank or load_bank()
    return [{**q.model_dump(), "role": role} for role, qs in bank.items() for q in qs]


def choose_question(
    candidates: list[dict[str, Any]], *, seniority: str, asked_ids: list[str], asked_kinds: list[str]
) -> dict[str, Any] | None:
    """Pick the next question: not yet asked, closest to the seniority's difficulty, alternating
    behavioural and technical, stable order otherwise (deterministic for tests and resumes)."""
    target = SENIORITY_DIFFICULTY.get(seniority, 2)
    fresh = [q for q in candidates if q["id"] not in asked_ids]
    if not fresh:
        return None
    last_kind = asked_kinds[-1] if asked_kinds else None

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
        index, q = item
        difficulty = int(q.get("difficulty") or target)
        return (abs(difficulty - target), int(q.get("kind") == last_kind), index)

    return min(enumerate(fresh), key=rank)[1]
