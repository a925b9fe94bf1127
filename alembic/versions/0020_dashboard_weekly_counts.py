"""dashboard: the daily counts' additive columns per week (dossier_weekly_count), summed from dossier_daily_count;
the 766 counts and the weekly trend read the whole weeks of a period here and only the other days from the day rows

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from onestop.domain.daily_counts import ADDITIVE_COLUMNS

    op.create_table(
        "dossier_weekly_count",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("procedure_code", sa.String(length=30), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in ADDITIVE_COLUMNS),
        sa.PrimaryKeyConstraint("week", "center_id", "procedure_id"),
    )
    # Backfill: the day rows summed per week (Monday) in one pass; the flush hook keeps both from now on.
    from onestop.services.daily_counts import sum_weeks

    sum_weeks(op.get_bind())


def downgrade() -> None:
    op.drop_table("dossier_weekly_count")
