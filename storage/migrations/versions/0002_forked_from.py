"""Sessions remember what they were forked from (thread and checkpoint).

Revision ID: 0002_forked_from
Revises: 0001_initial
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_forked_from"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("forked_from_thread_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("forked_from_checkpoint_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("forked_from_checkpoint_id")
        batch.drop_column("forked_from_thread_id")
