"""dashboard: each hand-over's step duration (working seconds) on its audit event, with a backfill, and a
partial covering index for the step-times read; dossiers submitted per (day, receiving center, procedure)
for the forecast, with a backfill; indexes for submissions by time and for the support teams' dossiers

Revision ID: 0016
Revises: 0012
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0016"
down_revision = "0012"
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

    op.create_index(
        "ix_dossier_event_supplement_requests",
        "dossier_event",
        ["at"],
        postgresql_where=sa.text("action = 'request_supplement'"),
        sqlite_where=sa.text("action = 'request_supplement'"),
    )
    op.create_index("ix_dossier_submitted_center", "dossier", ["submitted_at", "receiving_center_id"])
    op.create_table(
        "dossier_submission_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("proc_code", sa.String(length=30), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("day", "center_id", "proc_code"),
    )
    from onestop.services.submission_counts import rebuild_on

    rebuild_on(op.get_bind(), sums=False)  # its per-center and per-procedure sums come with 0018
    op.create_index(
        "ix_dossier_acting_user",
        "dossier",
        ["acting_user_id", "submitted_at"],
        postgresql_include=["applicant_national_id", "on_behalf", "channel"],
    )
    op.create_index(
        "ix_resident_commune_by_national_id", "resident", ["national_id"], postgresql_include=["commune", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_dossier_event_supplement_requests", table_name="dossier_event")
    op.drop_table("dossier_submission_count")
    op.drop_index("ix_resident_commune_by_national_id", table_name="resident")
    op.drop_index("ix_dossier_acting_user", table_name="dossier")
    op.drop_index("ix_dossier_submitted_center", table_name="dossier")
    op.drop_index("ix_dossier_event_step_time", table_name="dossier_event")
    with op.batch_alter_table("dossier_event") as batch:
        batch.drop_column("step_seconds")
