"""dashboard: step durations per (day, step, role, histogram bucket) for the province's step table, with a
backfill from the events' stored durations, and an index on (action, step_seconds) for the exact medians

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_step_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False, autoincrement=False),
        sa.Column("steps", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("seconds", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("late", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("day", "step", "role", "bucket"),
    )
    # Backfill: one pass over the step-ending events' stored durations (migration 0016), grouped in Python with
    # the buckets of domain.step_times.
    from onestop.services.step_times import rebuild_step_counts

    rebuild_step_counts(op.get_bind())
    op.create_index(
        "ix_dossier_event_step_seconds",
        "dossier_event",
        ["action", "step_seconds"],
        postgresql_where=sa.text("step_seconds IS NOT NULL"),
        sqlite_where=sa.text("step_seconds IS NOT NULL"),
        postgresql_include=["at", "actor_role"],
    )


def downgrade() -> None:
    op.drop_index("ix_dossier_event_step_seconds", table_name="dossier_event")
    op.drop_table("dossier_step_count")
