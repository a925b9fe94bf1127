"""Administration use cases on a real database: users and roles, centers and counters, calendar
overrides, and procedure edits that publish a new version without touching open dossiers."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import func, select

from onestop import clock
from onestop.domain.errors import DomainError, PermissionDenied
from onestop.models import AuthSession, Center, Counter, Dossier, Procedure, User
from onestop.read import admin as admin_read
from onestop.services import admin, auth
from onestop.services.calendar import load_calendar
from tests.integration.helpers import PHONES, actor, center, file_online

MONDAY = datetime(2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def _cleanup_users(session, *phones: str) -> None:
    for phone in phones:
        user = session.exec(select(User).where(User.phone == phone)).first()
        if user is not None:
            for row in session.exec(select(AuthSession).where(AuthSession.user_id == user.id)):
                session.delete(row)
            session.flush()
            session.delete(user)
    session.commit()


def test_only_admins_administer(session):
    receiver = actor(session, "receiver")
    for call in (
        lambda: admin_read.list_users(session, receiver),
        lambda: admin_read.list_centers(session, receiver),
        lambda: admin_read.list_procedures(session, receiver),
        lambda: admin_read.calendar_year(session, receiver, 2026),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_create_and_change_a_user_ends_their_sessions(session):
    boss = actor(session, "admin")
    x01 = center(session, "X01")
    _cleanup_users(session, "0909123456")
    with pytest.raises(DomainError) as no_center:
        admin.create_user(
            session,
            boss,
            {"phone": "0909123456", "full_name": "Trịnh Văn Mới", "role": "specialist", "password": "Cau-tre-xanh-7"},
        )
    assert no_center.value.code == "center_required"
    with pytest.raises(DomainError) as weak:
        admin.create_user(
            session,
            boss,
            {
                "phone": "0909123456",
                "full_name": "Trịnh Văn Mới",
                "role": "specialist",
                "center_id": str(x01.id),
                "password": "12345678",
            },
        )
    assert weak.value.code == "password_weak"
    user = admin.create_user(
        session,
        boss,
        {
            "phone": "0909 123 456",
            "full_name": "Trịnh  Văn Mới",
            "role": "specialist",
            "center_id": str(x01.id),
            "title": "Công chức địa chính",
            "password": "Cau-tre-xanh-7",
        },
    )
    assert user.phone == "0909123456" and user.full_name == "Trịnh Văn Mới"
    with pytest.raises(DomainError) as taken:
        admin.create_user(
            session, boss, {"phone": "0909123456", "full_name": "X", "role": "citizen", "password": "Cau-tre-xanh-7"}
        )
    assert taken.value.code == "phone_taken"
    assert [r.phone for r in admin_read.list_users(session, boss, query="trinh van moi")] == ["0909123456"]

    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    token, _ = auth.sign_in(session, "0909123456", "Cau-tre-xanh-7")
    admin.update_user(
        session,
        boss,
        user.id,
        {
            "role": "leader",
            "center_id": str(x01.id),
            "active": "true",
            "full_name": user.full_name,
            "title": "Phó Chủ tịch",
        },
    )
    assert auth.user_for_token(session, token) is None  # the role changed: signed out everywhere
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    token, _ = auth.sign_in(session, "0909123456", "Cau-tre-xanh-7")
    admin.update_user(
        session, boss, user.id, {"role": "leader", "center_id": str(x01.id), "active": "", "full_name": user.full_name}
    )
    assert auth.user_for_token(session, token) is None
    session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    with pytest.raises(DomainError):
        auth.sign_in(session, "0909123456", "Cau-tre-xanh-7")  # inactive
    me = session.exec(select(User).where(User.phone == PHONES["admin"])).one()
    with pytest.raises(DomainError) as lockout:
        admin.update_user(session, boss, me.id, {"role": "admin", "active": ""})
    assert lockout.value.code == "self_lockout"
    admin.reset_password(session, boss, user.id, "Moi2026abc")
    assert not session.exec(
        select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
    ).all()
    _cleanup_users(session, "0909123456")


def test_centers_and_counters(session):
    boss = actor(session, "admin")
    rows = admin_read.list_centers(session, boss)
    x01 = next(r for r in rows if r.code == "X01")
    assert x01.staff >= 4 and [c.number for c in x01.counters] == [1, 2, 3]
    file_online(session)
    x01_row = session.get(Center, x01.id)
    form = {
        "code": "X01",
        "name": x01_row.name,
        "level": x01_row.level,
        "province": x01_row.province,
        "address": x01_row.address,
        "phone": x01_row.phone,
        "active": "",
    }
    with pytest.raises(DomainError) as busy:
        admin.save_center(session, boss, x01.id, form)
    assert busy.value.code == "center_has_open_dossiers"
    new = admin.save_center(
        session,
        boss,
        None,
        {"code": "x99", "name": "Trung tâm xã Thử", "level": "commune", "province": "Tỉnh Demo", "active": "true"},
    )
    assert new.code == "X99" and new.active
    counter = admin.save_counter(
        session,
        boss,
        None,
        {"center_id": str(new.id), "number": "1", "name": "Quầy 1 — Hộ tịch", "fields": "civil_status"},
    )
    with pytest.raises(DomainError) as clash:
        admin.save_counter(
            session, boss, None, {"center_id": str(new.id), "number": "1", "name": "Trùng", "fields": ""}
        )
    assert clash.value.code == "number_taken"
    with pytest.raises(DomainError) as unknown:
        admin.save_counter(
            session,
            boss,
            counter.id,
            {"center_id": str(new.id), "number": "1", "name": "Q1", "fields": "civil_status, astrology"},
        )
    assert unknown.value.code == "fields_unknown"
    admin.delete_counter(session, boss, counter.id)
    assert session.get(Counter, counter.id) is None
    off = admin.save_center(
        session,
        boss,
        new.id,
        {"code": "X99", "name": "Trung tâm xã Thử", "level": "commune", "province": "Tỉnh Demo", "active": ""},
    )
    assert not off.active
    session.delete(off)
    session.commit()


def test_calendar_overrides_move_deadlines(session):
    boss = actor(session, "admin")
    friday = "2026-12-04"
    assert load_calendar(session).is_working_day(datetime(2026, 12, 4).date())
    admin.add_override(session, boss, friday, "day_off", "Nghỉ bù")
    assert not load_calendar(session).is_working_day(datetime(2026, 12, 4).date())
    rows = admin_read.calendar_year(session, boss, 2026)
    assert any(r.day == friday and r.kind == "day_off" and r.editable for r in rows)
    assert any(r.kind == "holiday" and not r.editable for r in rows)  # 2/9 and friends, read-only
    with pytest.raises(DomainError) as already:
        admin.add_override(session, boss, "2026-12-03", "working_day", "")
    assert already.value.code == "already_working"
    admin.add_override(session, boss, "2026-12-05", "working_day", "Làm bù")  # a Saturday
    assert load_calendar(session).is_working_day(datetime(2026, 12, 5).date())
    admin.remove_override(session, boss, friday)
    admin.remove_override(session, boss, "2026-12-05")
    assert load_calendar(session).is_working_day(datetime(2026, 12, 4).date())


def test_editing_a_procedure_publishes_a_new_version_open_dossiers_keep_theirs(session):
    boss = actor(session, "admin")
    d = file_online(session, "1.001612")
    old_version_id = d.procedure_id
    form = admin_read.procedure_form(session, boss, "1.001612")
    assert form.duration_value == "3" and form.duration_unit == "working_days"
    with pytest.raises(DomainError) as same:
        admin.edit_procedure(session, boss, "1.001612", vars(form))
    assert same.value.code == "nothing_changed"
    changed = {**vars(form), "duration_value": "5", "fee_text": "Lệ phí mới theo Nghị quyết HĐND tỉnh."}
    # the next number after every version of the code (another test may leave a later one as history)
    latest = session.exec(select(func.max(Procedure.version)).where(Procedure.code == "1.001612")).one()
    new = admin.edit_procedure(session, boss, "1.001612", changed)
    assert new.version == latest + 1 and new.version > form.version
    assert new.duration_counter == {"value": 5, "unit": "working_days"}
    assert session.get(Dossier, d.id).procedure_id == old_version_id
    old = session.get(Procedure, old_version_id)
    assert not old.is_current and old.duration_counter == {"value": 3, "unit": "working_days"}
    row = next(r for r in admin_read.list_procedures(session, boss) if r.code == "1.001612")
    assert row.version == new.version and row.open_on_older == 1
    with pytest.raises(DomainError) as bad_json:
        admin.edit_procedure(session, boss, "1.001612", {**changed, "form_schema": "{not json"})
    assert bad_json.value.code == "bad_schema"
    # put the catalog back for the other tests (reference data is shared)
    admin.edit_procedure(session, boss, "1.001612", {**vars(form), "name_vi": form.name_vi})
    current = session.exec(select(Procedure).where(Procedure.code == "1.001612", Procedure.is_current.is_(True))).one()
    assert current.duration_counter == {"value": 3, "unit": "working_days"}


def test_admin_edits_a_fee_schedule_through_form_fields(session):
    from onestop.services.dossiers import current_procedure, fee_quote

    boss = actor(session, "admin")
    form = admin_read.procedure_form(session, boss, "2.000815")
    assert (form.fee_basis, form.fee_tiers, form.fee_cap) == ("per_page", "1 = 2000\n3 = 1000", "200000")
    assert "tối đa 200.000 đồng/bản" in form.fee_summary_vi
    with pytest.raises(DomainError) as bad:
        admin.edit_procedure(session, boss, "2.000815", {**vars(form), "fee_tiers": "1: 2000"})
    assert bad.value.field == "fee_tiers"
    new = admin.edit_procedure(
        session,
        boss,
        "2.000815",
        {
            **vars(form),
            "fee_cap": "5000",
            "fee_exemptions": "poor | Hộ nghèo | Poor household | Giấy chứng nhận hộ nghèo | | 100%",
        },
    )
    assert new.fee_schedule["cap_per_copy"] == 5000 and new.fee_amount == 2000
    proc = current_procedure(session, "2.000815")
    assert fee_quote(proc, {"pages": 10, "copies": 2}, "direct").total == 10000  # capped at 5,000 a copy
    assert fee_quote(proc, {"pages": 10, "copies": 2, "fee_category": "poor"}, "direct").total == 0
    # put the catalog back for the other tests (reference data is shared)
    admin.edit_procedure(session, boss, "2.000815", vars(form))
    proc = current_procedure(session, "2.000815")
    assert fee_quote(proc, {"pages": 3, "copies": 3}, "online").total == 15000 and not proc.fee_schedule.get(
        "exemptions"
    )
