"""dashboard: each hand-over's step duration (working seconds) on its audit event, with a backfill, and a
partial covering index for the step-times read; an index for the forecast's submissions per receiving center

Revision ID: 0016
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossier_event", sa.Column("step_seconds", sa.Integer(), nullable=True))
    # Backfill before the index: one pass over the hand-over events with the pairing rule of domain.step_times.
    from onestop.services.step_times import backfill

    backfill(op.get_bind())
    op.create_index(
        "ix_dossier_event_step_time",
        "dossier_event",
        ["at"],
        postgresql_where=sa.text("step_seconds IS NOT NULL"),
        sqlite_where=sa.text("step_seconds IS NOT NULL"),
        postgresql_include=["dossier_id", "action", "actor_role", "outcome", "step_seconds"],
    )


def downgrade() -> None:
    op.drop_index("ix_dossier_event_step_time", table_name="dossier_event")
    with op.batch_alter_table("dossier_event") as batch:
        batch.drop_column("step_seconds")
