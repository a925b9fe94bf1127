"""Test set-up shared by every layer.

The data directory (files, signing keys, SQLite) goes to a temporary folder before
any setting is read. Integration tests run on SQLite, or on PostgreSQL when
ONESTOP_DATABASE_URL names one (.ci/run does both): the schema is built once per
run with the real migrations, reference data (catalog, centers, staff, residents)
is seeded once, and every test starts from empty dossier tables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="onestop-test-"))
os.environ.setdefault("ONESTOP_DATA_DIR", str(_TMP / "var"))
if not os.environ.get("ONESTOP_DATABASE_URL", "").startswith("postgresql"):
    os.environ["ONESTOP_DATABASE_URL"] = f"sqlite:///{_TMP / 'test.db'}"
os.environ.setdefault("ONESTOP_SCHEDULER", "false")

from hypothesis import settings as hypothesis_settings  # noqa: E402

from onestop.settings import get_settings, reset_settings_cache  # noqa: E402

# No timing assertions in tests (house rule): Hypothesis' per-example deadline fails on a loaded machine or
# under the mutation job's tracing. The "mutation" profile (scripts/mutation) also makes examples repeatable.
hypothesis_settings.register_profile("onestop", deadline=None)
hypothesis_settings.register_profile("mutation", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile(os.environ.get("ONESTOP_HYPOTHESIS_PROFILE", "onestop"))

reset_settings_cache()

#: Tables that tests fill; emptied before each integration test (reference data stays).
DYNAMIC_TABLES = [
    "account_event",
    "result_draft",
    "sync_operation",
    "notification",
    "outbound_message",
    "push_subscription",
    "rating",
    "payment",
    "dossier_event",
    "attachment",
    "dossier",
    "consent",
    "support_visit",
    "dossier_sequence",
    "dossier_daily_count",
    "dossier_count_total",
    "dossier_submission_count",
    "dossier_submission_center_day",
    "dossier_submission_proc_day",
    "dossier_step_count",
    "dossier_commune_count",
    "dossier_filed_for",
    "auth_session",
    "queue_ticket",
    "appointment",
    "calendar_override",
    "login_throttle",
    "password_reset",
    "appointment_slot",
    "queue_policy",
]


def _reset_schema(url: str) -> None:
    import sqlalchemy as sa

    from onestop.db import engine_for

    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def database_url() -> str:
    url = get_settings().database_url
    get_settings().ensure_dirs()
    _reset_schema(url)
    from onestop.migrations import upgrade_head

    upgrade_head(url)
    from onestop.db import new_session
    from onestop.demo.seed import seed

    with new_session() as session:
        seed(session, dossiers=0)
    return url


@pytest.fixture()
def session(database_url: str):
    """A session on a database whose dossier tables are empty."""
    import sqlalchemy as sa

    from onestop import clock
    from onestop.db import get_engine, new_session

    engine = get_engine()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(DYNAMIC_TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in DYNAMIC_TABLES:
                conn.execute(sa.text(f"DELETE FROM {table}"))
    s = new_session()
    try:
        yield s
    finally:
        s.close()
        clock.set_now(None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder so `-m "not e2e"` and friends work without decorators."""
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}e2e{os.sep}" in path:
            item.add_marker(pytest.mark.e2e)
