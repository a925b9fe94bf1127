"""partial index of running dossiers (status 2 and 4) per center in due order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dossier_running", "dossier", ["handling_center_id", "due_at", "id"], unique=False,
                    postgresql_where=sa.text("status IN (2, 4)"), sqlite_where=sa.text("status IN (2, 4)"))


def downgrade() -> None:
    op.drop_index("ix_dossier_running", table_name="dossier",
                  postgresql_where=sa.text("status IN (2, 4)"), sqlite_where=sa.text("status IN (2, 4)"))
