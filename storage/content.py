"""Designer content (interview questions, practice phrases), seeded from the graph's content files.

Each item is stored whole (`data`) next to the columns searched on, so content files may carry
extra fields (follow_ups, rubric, ...) that come back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, select

from storage.database import Database
from storage.models import Phrase, Question

GENERIC_ROLES = ("general", "any")
"""Questions with these roles fill up a search when the asked role has too few."""


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


def _replace_all(db: Database, model: type[Question] | type[Phrase], rows: list[Any]) -> int:
    """Delete every row of `model` and write `rows` instead, in one transaction."""
    with db.session() as s:
        s.execute(delete(model))
        s.add_all(rows)
    return len(rows)


def _matching(
    model: type[Question] | type[Phrase],
    filters: Iterable[tuple[Any, str | None]],
    exclude_ids: list[str],
    limit: int,
) -> Select[tuple[dict[str, Any]]]:
    """The `data` of the first `limit` rows of `model` in id order, not in `exclude_ids`, whose
    columns equal the given values case-insensitively (a None value: any)."""
    query = select(model.data)
    for column, value in filters:
        if value is not None:
            query = query.where(func.lower(column) == value.lower())
    if exclude_ids:
        query = query.where(model.id.not_in(exclude_ids))
    return query.order_by(model.id).limit(limit)


def replace_questions(*, db: Database, questions: Iterable[dict[str, Any]]) -> int:
    """Replace all questions (dicts with id, role, competency, difficulty, text, ...)."""
    rows = [
        Question(
            id=str(q["id"]),
            role=str(q["role"]),
            competency=_text(q, "competency"),
            difficulty=_text(q, "difficulty"),
            text=str(q["text"]),
            data=dict(q),
        )
        for q in questions
    ]
    return _replace_all(db, Question, rows)


def replace_phrases(*, db: Database, phrases: Iterable[dict[str, Any]]) -> int:
    """Replace all phrases (dicts with id, level, topic, text, meaning, example, ...)."""
    rows = [
        Phrase(
            id=str(p["id"]), level=str(p["level"]), topic=_text(p, "topic"), text=str(p["text"]), data=dict(p)
        )
        for p in phrases
    ]
    return _replace_all(db, Phrase, rows)


def search_questions(
    *,
    db: Database,
    role: str,
    competency: str | None = None,
    difficulty: str | None = None,
    exclude_ids: Iterable[str] = (),
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Questions for `role` (case-insensitive), then generic ones; filters are exact matches."""
    excluded = list(exclude_ids)
    found: list[dict[str, Any]] = []
    with db.session() as s:
        for roles in ([role.lower()], list(GENERIC_ROLES)):
            if len(found) >= limit:
                break
            filters = [(Question.competency, competency), (Question.difficulty, difficulty)]
            query = _matching(Question, filters, excluded + [q["id"] for q in found], limit - len(found))
            found.extend(dict(data) for data in s.scalars(query.where(func.lower(Question.role).in_(roles))))
    return found


def search_phrases(
    *,
    db: Database,
    level: str,
    topic: str | None = None,
    exclude_ids: Iterable[str] = (),
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Phrases of `level` (and `topic` when given), case-insensitive, in id order."""
    query = _matching(Phrase, [(Phrase.level, level), (Phrase.topic, topic)], list(exclude_ids), limit)
    with db.session() as s:
        return [dict(data) for data in s.scalars(query)]
