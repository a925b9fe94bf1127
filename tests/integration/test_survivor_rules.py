"""Service rules a hand mutation run showed unguarded (issue 17): each now has a test that fails without it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, Role, Status
from onestop.models import CalendarOverride, Dossier, DossierEvent
from onestop.services import calendar
from onestop.services.dossiers import ActionInput, perform
from tests.integration.helpers import actor, center, file_online, officer_of


def _fresh(session, dossier_id: int) -> Dossier:  # noqa: ANN001
    session.expire_all()
    return session.get(Dossier, dossier_id)


def _received(session):  # noqa: ANN001, ANN202
    d = file_online(session)
    return perform(session, actor(session, "receiver"), d.id, Action.RECEIVE, expected_version=d.version)


@pytest.mark.parametrize("role", ["citizen", "supporter", "receiver", "specialist", "leader"])
def test_only_an_admin_writes_calendar_overrides(session, role):
    day = date(2028, 5, 3)
    with pytest.raises(DomainError):
        calendar.set_override(session, actor(session, role), day, "day_off", "Nghỉ bù")
    session.rollback()
    assert session.exec(select(CalendarOverride).where(CalendarOverride.day == day)).first() is None
    calendar.set_override(session, actor(session, "admin"), day, "day_off", "Nghỉ bù")
    assert session.exec(select(CalendarOverride).where(CalendarOverride.day == day)).one().kind == "day_off"


def test_assigning_to_a_specialist_of_another_center_is_refused(session):
    d = _received(session)
    stranger = officer_of(session, "P01", "specialist")
    with pytest.raises(DomainError) as err:
        perform(
            session,
            actor(session, "leader"),
            d.id,
            Action.ASSIGN,
            expected_version=d.version,
            data=ActionInput(assignee_id=stranger.user_id),
        )
    assert err.value.code == "assignee_invalid"
    fresh = _fresh(session, d.id)
    assert fresh.status == Status.RECEIVED and fresh.assignee_id is None


def test_transfer_moves_the_dossier_and_leaves_an_audit_event(session):
    d = _received(session)
    target = center(session, "P01")
    perform(
        session,
        actor(session, "leader"),
        d.id,
        Action.TRANSFER,
        expected_version=d.version,
        data=ActionInput(target_center_id=target.id),
    )
    fresh = _fresh(session, d.id)
    assert fresh.handling_center_id == target.id and fresh.status == Status.PROCESSING
    events = session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == d.id, DossierEvent.action == Action.TRANSFER.value)
    ).all()
    assert len(events) == 1


@pytest.mark.parametrize("role", ["receiver", "leader"])
def test_an_officer_of_another_center_cannot_act(session, role):
    d = file_online(session)
    outsider = officer_of(session, "P01", role)
    assert outsider.role == Role(role)
    with pytest.raises(DomainError):
        perform(
            session,
            outsider,
            d.id,
            Action.RECEIVE if role == "receiver" else Action.STOP,
            expected_version=d.version,
            data=ActionInput(reason="Không thuộc thẩm quyền"),
        )
    fresh = _fresh(session, d.id)
    assert fresh.status == Status.SUBMITTED and fresh.version == d.version
    assert not session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == d.id, DossierEvent.action.in_(["receive", "stop"]))
    ).all()
