"""partial indexes for the inbox's "open" tab and its by-filing-time tabs

The default "open" tab lists statuses 2, 4, 5, 6, 9 of a center by due date; the
running-dossiers index (status 2, 4) cannot serve it, so a 1M-dossier database
read every open row of a large center to sort them. `ix_dossier_open` hands the
first 50 over in order. "To receive" (1) and "supplement" (5) page by filing time:
`ix_dossier_waiting` serves both. The tab counts (one statement, a filtered COUNT per
tab) read only `ix_dossier_open_counts`: an index-only scan over the center's open
dossiers (150 ms → 5–19 ms for the largest center at 1M, bench/README.md).

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
OPEN_ALL = "status IN (1, 2, 4, 5, 6, 9)"
COUNT_COLUMNS = ["handling_center_id", "status", "due_at", "submitted_at", "assignee_id", "step"]


def upgrade() -> None:
    op.create_index("ix_dossier_open", "dossier", ["handling_center_id", "due_at", "id"], unique=False,
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index("ix_dossier_waiting", "dossier", ["handling_center_id", "submitted_at", "id"], unique=False,
                    postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))
    op.create_index("ix_dossier_open_counts", "dossier", COUNT_COLUMNS, unique=False,
                    postgresql_where=sa.text(OPEN_ALL), sqlite_where=sa.text(OPEN_ALL))


def downgrade() -> None:
    op.drop_index("ix_dossier_open_counts", table_name="dossier")
    op.drop_index("ix_dossier_waiting", table_name="dossier")
    op.drop_index("ix_dossier_open", table_name="dossier")
