"""partial indexes for the inbox's "open" tab and its by-filing-time tabs

The default "open" tab lists statuses 2, 4, 5, 6, 9 of a center by due date; the
running-dossiers index (status 2, 4) cannot serve it, so a 1M-dossier database
read every open row of a large center to sort them. `ix_dossier_open` hands the
first 50 over in order. "To receive" (1) and "supplement" (5) page by filing time:
`ix_dossier_waiting` serves both.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = "status IN (2, 4, 5, 6, 9)"
WAITING = "status IN (1, 5)"


def upgrade() -> None:
    op.create_index("ix_dossier_open", "dossier", ["handling_center_id", "due_at", "id"], unique=False,
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index("ix_dossier_waiting", "dossier", ["handling_center_id", "submitted_at", "id"], unique=False,
                    postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))


def downgrade() -> None:
    op.drop_index("ix_dossier_waiting", table_name="dossier")
    op.drop_index("ix_dossier_open", table_name="dossier")
