"""Conversation prompts (prompts.yaml), validated on load, and their selection."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.content import load_entries

PROMPTS_FILE = Path(__file__).parent / "prompts.yaml"
LEVELS = ("A2", "B1", "B2", "C1")
TOPICS = ("daily life", "travel", "work", "hobbies", "free")


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    topic: Literal["daily life", "travel", "work", "hobbies", "free"]
    level: Literal["A2", "B1", "B2", "C1"]
    text: str = Field(min_length=5, pattern=r"[?.]$")
    simple: str = Field(min_length=5, pattern=r"[?.]$")
    """The same question in simpler words."""


@cache
def load_prompts(path: Path = PROMPTS_FILE) -> list[Prompt]:
    return load_entries(path, Prompt, key="prompts")


def choose_prompt(*, topic: str, level: str, used: list[str]) -> dict[str, Any]:
    """The next prompt: on topic (any topic for "free"), closest to the level, not used yet."""
    prompts = load_prompts()
    pool = [p for p in prompts if topic == "free" or p.topic == topic] or prompts
    fresh = [p for p in pool if p.id not in used] or [p for p in prompts if p.id not in used] or pool
    target = LEVELS.index(level)
    best = min(enumerate(fresh), key=lambda item: (abs(LEVELS.index(item[1].level) - target), item[0]))[1]
    return best.model_dump()


def prompt_by_id(prompt_id: str) -> dict[str, Any] | None:
    return next((p.model_dump() for p in load_prompts() if p.id == prompt_id), None)


PHRASES_FILE = Path(__file__).parent / "phrases.yaml"


class Phrase(BaseModel):
    """A useful phrase to teach (`find_phrases`)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    level: Literal["A2", "B1", "B2", "C1"]
    topic: Literal["daily life", "travel", "work", "hobbies", "free"]
    text: str = Field(min_length=2)
    meaning: str = Field(min_length=3)
    example: str = Field(min_length=5)


@cache
def load_phrases(path: Path = PHRASES_FILE) -> list[Phrase]:
    return load_entries(path, Phrase, key="phrases")


def phrase_dicts() -> list[dict[str, Any]]:
    """All phrases as dicts for storage.replace_phrases."""
    return [p.model_dump() for p in load_phrases()]
