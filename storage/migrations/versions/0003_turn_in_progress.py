"""Agent turns are written when the utterance starts: `in_progress` until it ends or is
interrupted, and `said` (message id → sentences) so that a cut-off turn can be repaired exactly.

Revision ID: 0003_turn_in_progress
Revises: 0002_forked_from
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003_turn_in_progress"
down_revision: str | None = "0002_forked_from"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("in_progress", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("said", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("said")
        batch.drop_column("in_progress")
