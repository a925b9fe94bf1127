"""Run Alembic programmatically (the CLI, the tests and the quick start share this)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from onestop.settings import PROJECT_ROOT, get_settings


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.attributes["url"] = url or get_settings().database_url
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


def downgrade_base(url: str | None = None) -> None:
    command.downgrade(alembic_config(url), "base")
