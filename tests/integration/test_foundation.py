"""Migrations agree with the models; auth; code allocation under concurrency; seed idempotence."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, func, select

import onestop.models  # noqa: F401
from onestop import clock
from onestop.db import engine_for, new_session
from onestop.domain.errors import DomainError
from onestop.migrations import downgrade_base, upgrade_head
from onestop.models import Center, Dossier, Procedure, Resident, User
from onestop.services.auth import sign_in, sign_out, user_for_token
from onestop.services.codes import allocate_dossier_code


@pytest.fixture()
def scratch_url(database_url):
    """An empty database of the same kind as the suite's, for migration round trips."""
    if database_url.startswith("postgresql"):
        name = f"onestop_mig_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        url = database_url.rsplit("/", 1)[0] + f"/{name}"
        yield url
        engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()
    else:
        path = os.path.join(os.path.dirname(database_url.split("///", 1)[1]), f"mig-{uuid.uuid4().hex[:8]}.db")
        yield f"sqlite:///{path}"


def test_migrations_round_trip_and_match_models(scratch_url):
    upgrade_head(scratch_url)
    engine = engine_for(scratch_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == [], diff
    downgrade_base(scratch_url)
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    upgrade_head(scratch_url)


def test_sign_in_by_phone_or_id_and_sign_out(session):
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    token, user = sign_in(session, "0901 000 001", "Demo@2026")
    assert user.role == "citizen" and user_for_token(session, token).id == user.id
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    token2, same = sign_in(session, user.national_id, "Demo@2026")
    assert same.id == user.id
    sign_out(session, token)
    assert user_for_token(session, token) is None and user_for_token(session, token2) is not None
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    with pytest.raises(DomainError) as exc:
        sign_in(session, "0901000001", "wrong")
    assert exc.value.code == "bad_credentials" and "mật khẩu" in exc.value.vi
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    with pytest.raises(DomainError):
        sign_in(session, "0999999999", "Demo@2026")
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    with pytest.raises(DomainError) as exc:
        sign_in(session, "", "")
    assert exc.value.code == "login_required"


def test_session_expires(session):
    token, _ = sign_in(session, "0901000003", "Demo@2026", days=1)
    clock.set_now(clock.now() + timedelta(days=2))
    try:
        assert user_for_token(session, token) is None
    finally:
        clock.set_now(None)


def test_codes_unique_under_parallel_sessions(session):
    day = date(2026, 11, 23)
    codes: list[str] = []
    errors: list[Exception] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for _ in range(10):
            try:
                with new_session() as s:
                    code = allocate_dossier_code(s, "T01", day)
                    s.commit()
                with lock:
                    codes.append(code)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(codes) == 80 and len(set(codes)) == 80
    assert sorted(codes)[-1] == "T01-261123-0080"


def test_reference_seed_is_complete_and_idempotent(session):
    from onestop.demo.seed import seed

    before = {
        m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in (Center, Procedure, User, Resident)
    }
    report = seed(session, dossiers=0)
    after = {
        m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in (Center, Procedure, User, Resident)
    }
    assert before == after and report.lines() == [
        "centers +0",
        "procedures +0",
        "users +0",
        "residents +0",
        "dossiers +0",
    ]
    assert after["Center"] >= 3 and after["Resident"] >= 200 and after["Procedure"] >= 13
    assert {u.role for u in session.exec(select(User))} >= {
        "citizen",
        "supporter",
        "receiver",
        "specialist",
        "leader",
        "admin",
    }
    assert all(len(r.national_id) == 12 and r.national_id.isdigit() for r in session.exec(select(Resident)))
    assert session.exec(select(func.count()).select_from(Dossier)).one() == 0


def test_wrong_passwords_are_throttled(session):
    from onestop.services.auth import MAX_FAILURES, reset_throttle

    reset_throttle()
    try:
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
        for _ in range(MAX_FAILURES):
            with pytest.raises(DomainError):
                sign_in(session, "0901000004", "wrong")
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
        with pytest.raises(DomainError) as exc:
            sign_in(session, "0901000004", "Demo@2026")
        assert exc.value.code == "too_many_attempts"
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
        assert sign_in(session, "0901000005", "Demo@2026")[1].role == "leader"
    finally:
        session.commit()  # the throttle's rows are cleared from its own connection
        reset_throttle()


def test_device_token_does_not_open_the_web_app(session):
    token, _ = sign_in(session, "0901000002", "Demo@2026", kind="device")
    assert user_for_token(session, token) is None
    assert user_for_token(session, token, kind="device") is not None
