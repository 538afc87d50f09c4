"""App data: sessions, turns, turn metrics, evaluations, tool calls, reports, questions, phrases.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
NOW = sa.DateTime(timezone=True)


def _thread_fk() -> sa.ForeignKey:
    return sa.ForeignKey("sessions.thread_id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("thread_id", sa.String(64), primary_key=True),
        sa.Column("workflow", sa.String(64), nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(128), nullable=True),
        sa.Column("learner", sa.String(128), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
    )
    op.create_index("ix_sessions_owner", "sessions", ["owner"])
    op.create_index("ix_sessions_learner_workflow", "sessions", ["learner", "workflow"])

    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread_id", sa.String(64), _thread_fk(), nullable=False),
        sa.Column("turn_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("heard_text", sa.Text, nullable=True),
        sa.Column("interrupted", sa.Boolean, nullable=False),
        sa.Column("fluency", JSON, nullable=True),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_turns_thread_id", "turns", ["thread_id"])

    op.create_table(
        "turn_metrics",
        sa.Column("thread_id", sa.String(64), _thread_fk(), primary_key=True),
        sa.Column("turn_id", sa.String(64), primary_key=True),
        sa.Column("metrics", JSON, nullable=False),
        sa.Column("created_at", NOW, nullable=False),
    )

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread_id", sa.String(64), _thread_fk(), nullable=False),
        sa.Column("turn_id", sa.String(64), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_evaluations_thread_id", "evaluations", ["thread_id"])

    op.create_table(
        "tool_calls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread_id", sa.String(64), _thread_fk(), nullable=False),
        sa.Column("turn_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("args", JSON, nullable=True),
        sa.Column("result", JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_tool_calls_thread_id", "tool_calls", ["thread_id"])

    op.create_table(
        "reports",
        sa.Column("thread_id", sa.String(64), _thread_fk(), primary_key=True),
        sa.Column("report", JSON, nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
    )

    op.create_table(
        "questions",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("role", sa.String(128), nullable=False),
        sa.Column("competency", sa.String(128), nullable=True),
        sa.Column("difficulty", sa.String(32), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data", JSON, nullable=False),
    )
    op.create_index("ix_questions_role", "questions", ["role"])

    op.create_table(
        "phrases",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("topic", sa.String(128), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data", JSON, nullable=False),
    )
    op.create_index("ix_phrases_level", "phrases", ["level"])


def downgrade() -> None:
    for table in (
        "phrases",
        "questions",
        "reports",
        "tool_calls",
        "evaluations",
        "turn_metrics",
        "turns",
        "sessions",
    ):
        op.drop_table(table)
