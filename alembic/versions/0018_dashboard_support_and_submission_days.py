"""dashboard: the support figures' dossiers per (commune, day) and dossiers filed on a person's behalf per
(acting user, day, commune, resident), with a backfill from the dossiers joined to the resident registry

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_commune_count",
        sa.Column("commune", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dossiers", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("online_self", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("commune", "day"),
    )
    op.create_table(
        "dossier_filed_for",
        sa.Column("acting_user_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(length=120), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("dossiers", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("acting_user_id", "day", "commune", "resident_id"),
    )
    # Backfill: one pass over the submitted dossiers joined to the registry (services.support_counts's rule).
    from onestop.services.support_counts import rebuild_on

    rebuild_on(op.get_bind())
    op.create_table(
        "dossier_submission_center_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("submitted", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("day", "center_id"),
    )
    op.create_table(
        "dossier_submission_proc_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("proc_code", sa.String(length=30), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("day", "proc_code"),
    )
    # Backfill: the per-procedure table (migration 0016) summed; the flush hook keeps all three from now on.
    op.execute(
        "INSERT INTO dossier_submission_center_day (day, center_id, submitted)"
        " SELECT day, center_id, sum(submitted) FROM dossier_submission_count GROUP BY day, center_id"
    )
    op.execute(
        "INSERT INTO dossier_submission_proc_day (day, proc_code, submitted)"
        " SELECT day, proc_code, sum(submitted) FROM dossier_submission_count GROUP BY day, proc_code"
    )


def downgrade() -> None:
    op.drop_table("dossier_submission_proc_day")
    op.drop_table("dossier_submission_center_day")
    op.drop_table("dossier_filed_for")
    op.drop_table("dossier_commune_count")
