"""inbox tab counts: the count index also holds `paused_at`, so the overdue count stays an index-only scan

The "overdue" tab is "clock running, not paused, due before now" (domain.deadlines.is_late); `paused_at` was
not in `ix_dossier_open_counts`, so PostgreSQL read the heap of every open dossier of the center to count
(36 ms → 2.5–5 ms for the largest center at 1M, bench/README.md).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OPEN_ALL = "status IN (1, 2, 4, 5, 6, 9)"
BEFORE = ["handling_center_id", "status", "due_at", "submitted_at", "assignee_id", "step"]


def _create(columns: list[str]) -> None:
    op.create_index(
        "ix_dossier_open_counts",
        "dossier",
        columns,
        unique=False,
        postgresql_where=sa.text(OPEN_ALL),
        sqlite_where=sa.text(OPEN_ALL),
    )


def upgrade() -> None:
    op.drop_index("ix_dossier_open_counts", table_name="dossier")
    _create([*BEFORE, "paused_at"])


def downgrade() -> None:
    op.drop_index("ix_dossier_open_counts", table_name="dossier")
    _create(BEFORE)
