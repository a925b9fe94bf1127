"""staff accounts may require VNeID (app_user.require_vneid) and the audit of that change (account_event)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("require_vneid", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "account_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["actor_user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_event_user_id", "account_event", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_account_event_user_id", table_name="account_event")
    op.drop_table("account_event")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("require_vneid")
