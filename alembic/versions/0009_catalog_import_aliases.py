"""catalog area: procedure agency and other names; catalog_event audit table

Revision ID: 0009
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("procedure") as batch:
        batch.add_column(sa.Column("agency", sa.String(500), nullable=False, server_default=""))
        batch.add_column(sa.Column("other_names", JSONType, nullable=True))
    op.create_table(
        "catalog_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("procedure_code", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("actor_name", sa.String(120), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("detail", JSONType, nullable=True),
    )
    op.create_index("ix_catalog_event_procedure_code", "catalog_event", ["procedure_code"])


def downgrade() -> None:
    op.drop_index("ix_catalog_event_procedure_code", table_name="catalog_event")
    op.drop_table("catalog_event")
    with op.batch_alter_table("procedure") as batch:
        batch.drop_column("other_names")
        batch.drop_column("agency")
