"""Staff accounts can be made to sign in with VNeID only (issue 17): the admin sets it, it is audited,
the password is then refused with a message that points to "Sign in with VNeID", and VNeID opens the session."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import select

from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.errors import DomainError
from onestop.models import AccountEvent, AuthSession, Resident, User
from onestop.services import admin, auth
from onestop.ui.account.login import LoginState
from tests.integration.helpers import PHONES, actor, user


@pytest.fixture()
def staff(session) -> Iterator[User]:  # noqa: ANN001
    """The demo receiver, given the ID number of a resident without an account (restored afterwards)."""
    taken = select(User.national_id).where(User.national_id.is_not(None))
    resident = session.exec(select(Resident).where(Resident.national_id.not_in(taken)).order_by(Resident.id)).first()
    receiver = user(session, "receiver")
    receiver.national_id = resident.national_id
    session.commit()
    yield receiver
    session.rollback()
    receiver = user(session, "receiver")
    receiver.national_id, receiver.require_vneid = None, False
    session.commit()


def _require(session, staff: User, value: str, by: str = "admin") -> None:  # noqa: ANN001
    admin.update_user(session, actor(session, by), staff.id, {"require_vneid": value})
    session.commit()


def _sessions(session, user_id: int) -> int:  # noqa: ANN001
    return len(session.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all())


def test_required_vneid_refuses_the_password_and_vneid_signs_in(session, staff):
    live, _ = auth.sign_in(session, PHONES["receiver"], DEMO_PASSWORD)
    session.commit()
    _require(session, staff, "on")
    assert auth.user_for_token(session, live) is None  # the password session ended when VNeID became required
    events = session.exec(select(AccountEvent).where(AccountEvent.user_id == staff.id)).all()
    assert [(e.action, e.actor_user_id) for e in events] == [("require_vneid_on", user(session, "admin").id)]
    before = _sessions(session, staff.id)
    for kind in ("web", "device"):
        with pytest.raises(DomainError) as err:
            auth.sign_in(session, PHONES["receiver"], DEMO_PASSWORD, kind=kind)
        assert err.value.code == "vneid_required" and err.value.status == 403
        assert "Đăng nhập bằng VNeID" in err.value.vi and "Sign in with VNeID" in err.value.en
    session.rollback()
    with pytest.raises(DomainError) as err:  # a wrong password says only that, as for anyone
        auth.sign_in(session, PHONES["receiver"], "Sai-mật-khẩu-2026")
    assert err.value.code == "bad_credentials"
    session.rollback()
    assert _sessions(session, staff.id) == before
    token, who = auth.sign_in_with_identity(session, staff.national_id)
    session.commit()
    assert who.id == staff.id and auth.user_for_token(session, token).role == "receiver"


def test_turning_it_off_brings_the_password_back_and_is_audited(session, staff):
    _require(session, staff, "on")
    _require(session, staff, "")
    token, _ = auth.sign_in(session, PHONES["receiver"], DEMO_PASSWORD)
    session.commit()
    assert auth.user_for_token(session, token) is not None
    actions = session.exec(
        select(AccountEvent.action).where(AccountEvent.user_id == staff.id).order_by(AccountEvent.id)
    ).all()
    assert actions == ["require_vneid_on", "require_vneid_off"]
    with pytest.raises(DomainError) as err:  # staff who do not require it stay out of VNeID (citizens only)
        auth.sign_in_with_identity(session, staff.national_id)
    assert err.value.code == "vneid_not_citizen"


def test_an_edit_without_the_field_keeps_it(session, staff):
    _require(session, staff, "on")
    admin.update_user(session, actor(session, "admin"), staff.id, {"title": "Công chức một cửa"})
    session.commit()
    assert user(session, "receiver").require_vneid is True
    assert len(session.exec(select(AccountEvent).where(AccountEvent.user_id == staff.id)).all()) == 1


@pytest.mark.parametrize("role", ["citizen", "supporter", "receiver", "specialist", "leader"])
def test_only_an_admin_sets_it(session, staff, role):
    with pytest.raises(DomainError):
        admin.update_user(session, actor(session, role), staff.id, {"require_vneid": "on"})
    session.rollback()
    assert user(session, "receiver").require_vneid is False
    assert not session.exec(select(AccountEvent)).all()


def test_citizens_and_staff_without_an_id_number_cannot_be_required(session, staff):
    with pytest.raises(DomainError) as err:
        admin.update_user(session, actor(session, "admin"), user(session, "citizen").id, {"require_vneid": "on"})
    assert err.value.code == "vneid_staff_only"
    session.rollback()
    specialist = user(session, "specialist")
    assert specialist.national_id is None
    with pytest.raises(DomainError) as err:
        admin.update_user(session, actor(session, "admin"), specialist.id, {"require_vneid": "on"})
    assert err.value.code == "vneid_needs_id" and "VNeID" in err.value.vi
    session.rollback()
    assert session.exec(sa.select(sa.func.count()).select_from(AccountEvent)).scalar_one() == 0


def test_the_sign_in_page_shows_the_vneid_message(session, staff):
    _require(session, staff, "on")
    root = rx.State(_reflex_internal_init=True)
    page = root.get_substate(LoginState.get_full_name().split(".")[1:])

    async def submit() -> None:
        async for _ in LoginState.event_handlers["sign_in"].fn(
            page, {"login": PHONES["receiver"], "password": DEMO_PASSWORD}
        ):
            pass

    asyncio.run(submit())
    assert "Đăng nhập bằng VNeID" in page.error.vi and "Sign in with VNeID" in page.error.en
    assert page.busy is False
