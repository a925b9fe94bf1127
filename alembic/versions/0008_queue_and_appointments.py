"""queue numbers and appointments (issue 16)

Why: queue tickets need their place in line (`queued_at`), how often they were
called, the priority lane, the appointment they came from, the dossier they
became, and a token for the live ticket page; each center gets a queue policy;
appointment capacity is counted per counter group and slot in `appointment_slot`
so a conditional increment refuses the booking beyond capacity under concurrency.

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_FKS = (
    ("fk_queue_ticket_appointment", "appointment", "appointment_id"),
    ("fk_queue_ticket_dossier", "dossier", "dossier_id"),
    ("fk_queue_ticket_officer", "app_user", "officer_id"),
)


def upgrade() -> None:
    op.create_table(
        "appointment_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("field_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("center_id", "field_code", "at"),
    )
    op.create_table(
        "queue_policy",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("priority_mode", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("priority_every", sa.Integer(), nullable=False),
        sa.Column("max_calls", sa.Integer(), nullable=False),
        sa.Column("heads_up_at", sa.Integer(), nullable=False),
        sa.Column("daily_limit", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("slot_capacity", sa.Integer(), nullable=False),
        sa.Column("service_minutes", sa.Integer(), nullable=False),
        sa.Column("speech", sa.Boolean(), nullable=False),
        sa.Column("pick_counter_ids", _JSON, nullable=True),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"]),
        sa.PrimaryKeyConstraint("center_id"),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("field_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default="")
        )

    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dossier_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("call_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("first_called_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("serving_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("done_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heads_up_sent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_queue_ticket_line", ["center_id", "day", "status", "queued_at", "id"], unique=False)
        batch_op.create_index("ix_queue_ticket_token", ["token"], unique=False)
        for name, table, column in _FKS:
            batch_op.create_foreign_key(name, table, [column], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        for name, _table, _column in _FKS:
            batch_op.drop_constraint(name, type_="foreignkey")
        batch_op.drop_index("ix_queue_ticket_token")
        batch_op.drop_index("ix_queue_ticket_line")
        for column in (
            "heads_up_sent",
            "officer_id",
            "done_at",
            "serving_at",
            "first_called_at",
            "call_count",
            "queued_at",
            "dossier_id",
            "appointment_id",
            "priority",
            "holder",
            "token",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_column("field_code")
    op.drop_table("queue_policy")
    op.drop_table("appointment_slot")
