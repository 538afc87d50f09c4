"""SQLAlchemy 2.0 typed models of the app data (checkpoints live in LangGraph's own tables).

The schema is created and changed only by the Alembic migrations in `storage/migrations`;
keep both in step (`tests/storage/test_migrations.py` compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
        datetime: DateTime(timezone=True),
    }


def _thread_fk() -> Any:
    return ForeignKey("sessions.thread_id", ondelete="CASCADE")


class Session(Base):
    __tablename__ = "sessions"

    thread_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workflow: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="active")
    owner: Mapped[str | None] = mapped_column(String(128), index=True)
    learner: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    forked_from_thread_id: Mapped[str | None] = mapped_column(String(64))
    forked_from_checkpoint_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_sessions_learner_workflow", "learner", "workflow"),)


class Turn(Base):
    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[str] = mapped_column(String(64), _thread_fk(), index=True)
    turn_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    heard_text: Mapped[str | None] = mapped_column(Text)
    interrupted: Mapped[bool] = mapped_column(Boolean, default=False)
    fluency: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    in_progress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """An agent turn whose utterance is still being spoken (or was cut off by a crash)."""
    said: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """An agent turn's sentences by graph message id, in speaking order (while in progress)."""


class TurnMetrics(Base):
    """The `turn.metrics` latency waterfall of one turn (user turn + the answer to it).

    Kept apart from `turns` because it is measured when the first agent audio frame is sent,
    before the agent's row (with what was heard) exists.
    """

    __tablename__ = "turn_metrics"

    thread_id: Mapped[str] = mapped_column(String(64), _thread_fk(), primary_key=True)
    turn_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class _TurnEvent:
    """The keys of something that happened in a turn (an evaluation, a tool call): numbered rows of
    a session, tied to the turn when there was one."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[str] = mapped_column(String(64), _thread_fk(), index=True)
    turn_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evaluation(_TurnEvent, Base):
    __tablename__ = "evaluations"

    score: Mapped[float | None] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ToolCall(_TurnEvent, Base):
    __tablename__ = "tool_calls"

    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    args: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    result: Mapped[Any | None] = mapped_column(JSONType)
    error: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    __tablename__ = "reports"

    thread_id: Mapped[str] = mapped_column(String(64), _thread_fk(), primary_key=True)
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Question(Base):
    """Designer content: interview questions, seeded from the graph package's content files."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[str] = mapped_column(String(128), index=True)
    competency: Mapped[str | None] = mapped_column(String(128))
    difficulty: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The whole content dict as given (follow_ups and any other field)."""


class Phrase(Base):
    """Designer content: phrases for language practice, seeded like questions."""

    __tablename__ = "phrases"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    level: Mapped[str] = mapped_column(String(32), index=True)
    topic: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
