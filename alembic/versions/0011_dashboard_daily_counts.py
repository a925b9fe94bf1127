"""dashboard: pre-computed counts per (day, handling center, procedure) with a backfill from the dossiers;
a partial index on the due dates of unfinished dossiers (the "rest of today" correction)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Frozen here (not imported): a later change to the domain's list must come with its own migration.
# The last 9 are the interval columns, also kept as all-time totals.
COLUMNS = (
    "received",
    "online",
    "with_fee",
    "paid_online",
    "inputs",
    "reused",
    "on_time",
    "resolved_late",
    "results_document",
    "results_electronic",
    "late_apology_resolved",
    "rated_resolved",
    "rated_negative_resolved",
    "complaints_resolved",
    "issue_resolved",
    "ip",
    "ip_due",
    "ip_rated",
    "ip_rated_negative",
    "ip_complaint",
    "ip_negative",
    "od",
    "od_apology",
    "od_not_negative",
)


def upgrade() -> None:
    op.create_table(
        "dossier_daily_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in COLUMNS),
        sa.PrimaryKeyConstraint("day", "center_id", "procedure_id"),
    )
    op.create_index("ix_dossier_daily_count_center_day", "dossier_daily_count", ["center_id", "day"])
    op.create_table(
        "dossier_count_total",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in COLUMNS[15:]),
        sa.PrimaryKeyConstraint("center_id", "procedure_id"),
    )
    op.create_index(
        "ix_dossier_unfinished_due",
        "dossier",
        ["due_at"],
        postgresql_where=sa.text("finished_at IS NULL"),
        sqlite_where=sa.text("finished_at IS NULL"),
    )
    # Backfill: the same rules the flush hook applies, over every dossier already stored.
    from onestop.domain.daily_counts import COLUMNS as CURRENT
    from onestop.services.daily_counts import rebuild_on

    assert tuple(CURRENT) == COLUMNS, "domain.daily_counts.COLUMNS changed: write a new migration"
    rebuild_on(op.get_bind(), weeks=False)  # the week rows (dossier_weekly_count) come with 0020


def downgrade() -> None:
    op.drop_index("ix_dossier_unfinished_due", table_name="dossier")
    op.drop_index("ix_dossier_daily_count_center_day", table_name="dossier_daily_count")
    op.drop_table("dossier_daily_count")
    op.drop_table("dossier_count_total")
