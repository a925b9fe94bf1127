"""fee schedules on procedure versions (per dossier / copy / page, tiers, cap, online, exemptions);
the applicant's chosen way to receive the result (dossier.delivery); drafted result particulars (result_draft)

Revision ID: 0010
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedure") as batch:
        batch.add_column(sa.Column("fee_schedule", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))
    op.create_table(
        "result_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.Column("history", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.Column("edited_by", sa.String(length=120), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id"),
    )
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("delivery", sa.String(length=10), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_table("result_draft")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("delivery")
    with op.batch_alter_table("procedure") as batch:
        batch.drop_column("fee_schedule")
