"""Service rules a hand mutation run showed unguarded (issue 17): each now has a test that fails without it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlmodel import select

from onestop import clock
from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, Role, Status
from onestop.models import CalendarOverride, Dossier, DossierEvent, Procedure
from onestop.services import calendar
from onestop.services.codes import allocate_dossier_code
from onestop.services.dossiers import ActionInput, perform
from tests.integration.helpers import actor, center, file_online, officer_of, user

MONDAY = datetime(2026, 11, 23, 9, 0)  # received then: due Friday 27/11 17:00 (Tuesday 24/11 is a holiday)


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


# --------------------------------------------------------------------------- codes, finish, resume


def test_dossier_codes_are_numbered_per_center_and_per_day(session):
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    assert allocate_dossier_code(session, "X01", monday) == "X01-261123-0001"
    assert allocate_dossier_code(session, "X01", monday) == "X01-261123-0002"
    assert allocate_dossier_code(session, "P01", monday) == "P01-261123-0001"  # its own count, same day
    assert allocate_dossier_code(session, "X01", tuesday) == "X01-261124-0001"  # a new day starts again at 1
    assert allocate_dossier_code(session, "X01", monday) == "X01-261123-0003"


def _act(session, role: str, d: Dossier, action: Action, **data) -> Dossier:  # noqa: ANN001, ANN003
    with transaction(session):
        return perform(
            session, actor(session, role), d.id, action, expected_version=d.version, data=ActionInput(**data)
        )


@pytest.fixture()
def received(session) -> Iterator[Dossier]:  # noqa: ANN001
    clock.set_now(MONDAY)
    d = file_online(session)
    d = _act(session, "receiver", d, Action.RECEIVE)
    assert d.due_at == datetime(2026, 11, 27, 17, 0)
    yield d
    clock.set_now(None)


@pytest.mark.parametrize(
    ("stopped_at", "on_time"), [(datetime(2026, 11, 27, 17, 0), True), (datetime(2026, 11, 30, 8, 0), False)]
)
def test_on_time_is_computed_at_the_finish(session, received, stopped_at, on_time):
    clock.set_now(stopped_at)
    d = _act(session, "leader", received, Action.STOP, reason="Không đủ điều kiện")
    assert d.status == Status.STOPPED and d.finished_at == stopped_at and d.on_time is on_time


@pytest.fixture()
def extend_mode(session) -> Iterator[None]:  # noqa: ANN001
    proc = session.exec(select(Procedure).where(Procedure.code == "1.001612", Procedure.is_current.is_(True))).one()
    before = proc.supplement_resume_mode
    proc.supplement_resume_mode = "extend"
    session.commit()
    yield
    proc = session.get(Procedure, proc.id)
    proc.supplement_resume_mode = before
    session.commit()


def test_supplement_resume_in_extend_mode_adds_the_paused_time(session, received, extend_mode):
    d = _act(session, "receiver", received, Action.ASSIGN, assignee_id=user(session, "specialist").id)
    clock.set_now(datetime(2026, 11, 25, 8, 30))
    d = _act(
        session,
        "specialist",
        d,
        Action.REQUEST_SUPPLEMENT,
        missing_items=["Hợp đồng thuê nhà"],
        supplement_deadline=datetime(2026, 12, 1, 17, 0),
        reason="Thiếu hợp đồng",
    )
    clock.set_now(datetime(2026, 11, 25, 10, 30))
    d = _act(session, "specialist", d, Action.CONFIRM_SUPPLEMENT)
    # two office hours paused: Fri 27/11 17:00 → Mon 30/11 09:30 (a restart would give Mon 30/11 17:00)
    assert d.paused_at is None and d.due_at == datetime(2026, 11, 30, 9, 30)


def test_fee_wait_resume_extends_even_when_the_procedure_restarts(session, received):
    clock.set_now(datetime(2026, 11, 25, 8, 30))
    d = _act(session, "receiver", received, Action.REQUEST_FEE, amount=50_000)
    assert d.status == Status.AWAITING_FEE and d.paused_at == datetime(2026, 11, 25, 8, 30)
    clock.set_now(datetime(2026, 11, 25, 10, 30))
    d = _act(session, "receiver", d, Action.RECORD_PAYMENT)
    assert d.status == Status.RECEIVED and d.paused_at is None
    assert d.due_at == datetime(2026, 11, 30, 9, 30)


def test_the_sending_center_may_still_see_but_no_longer_act_after_a_transfer(session):
    d = _received(session)
    target = center(session, "P01")
    d = perform(
        session,
        actor(session, "leader"),
        d.id,
        Action.TRANSFER,
        expected_version=d.version,
        data=ActionInput(target_center_id=target.id),
    )
    sender = actor(session, "leader")  # X01: the receiving center keeps read access
    with pytest.raises(DomainError) as err:
        perform(session, sender, d.id, Action.STOP, expected_version=d.version, data=ActionInput(reason="Dừng"))
    assert err.value.code == "other_center"
    fresh = _fresh(session, d.id)
    assert fresh.status == Status.PROCESSING and fresh.version == d.version
    d = perform(
        session,
        officer_of(session, "P01", "leader"),
        d.id,
        Action.STOP,
        expected_version=d.version,
        data=ActionInput(reason="Dừng"),
    )
    assert d.status == Status.STOPPED


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [(None, False), (-1, False), (0, False), (1, True), (1_000_000_000, True), (1_000_000_001, False)],
)
def test_a_fee_request_needs_an_amount_between_one_dong_and_a_billion(session, received, amount, accepted):
    clock.set_now(datetime(2026, 11, 25, 8, 30))
    if not accepted:
        with pytest.raises(DomainError) as err:
            _act(session, "receiver", received, Action.REQUEST_FEE, amount=amount)
        assert err.value.code == "amount_invalid" and err.value.field == "amount"
        session.rollback()
        fresh = _fresh(session, received.id)
        assert fresh.status == Status.RECEIVED and fresh.version == received.version and fresh.fee_status != "unpaid"
        return
    d = _act(session, "receiver", received, Action.REQUEST_FEE, amount=amount)
    assert (d.status, d.fee_amount, d.fee_status) == (Status.AWAITING_FEE, amount, "unpaid")
    assert (d.resume_status, d.resume_step) == (Status.RECEIVED, received.step)
    event = session.exec(select(DossierEvent).where(DossierEvent.action == Action.REQUEST_FEE.value)).one()
    assert event.data == {"amount": amount}
    d = _act(session, "receiver", d, Action.RECORD_PAYMENT)
    assert (d.status, d.fee_status) == (Status.RECEIVED, "paid")


def _refused(session, d: Dossier, role: str, action: Action, **data) -> DomainError:  # noqa: ANN001, ANN003
    """The refusal of an action: the dossier and its events must be as they were."""
    events = len(session.exec(select(DossierEvent).where(DossierEvent.dossier_id == d.id)).all())
    with pytest.raises(DomainError) as err:
        _act(session, role, d, action, **data)
    session.rollback()
    fresh = _fresh(session, d.id)
    assert fresh.version == d.version and fresh.due_at == d.due_at and fresh.handling_center_id == d.handling_center_id
    assert len(session.exec(select(DossierEvent).where(DossierEvent.dossier_id == d.id)).all()) == events
    e = err.value
    assert e.vi and e.en and e.vi != e.en and e.vi[0].isupper() and e.en[0].isupper()
    return e


def test_transfer_needs_another_unit_and_records_both_units(session, received):
    for target in (None, received.handling_center_id):
        e = _refused(session, received, "leader", Action.TRANSFER, target_center_id=target)
        assert (e.code, e.field, e.status) == ("target_invalid", "target_center", 422)
    target = center(session, "P01")
    d = _act(session, "leader", received, Action.TRANSFER, target_center_id=target.id)
    assert d.assignee_id is None and d.handling_center_id == target.id
    event = session.exec(select(DossierEvent).where(DossierEvent.action == Action.TRANSFER.value)).one()
    assert event.data["target_center_id"] == target.id
    assert (event.from_unit, event.to_unit) == (center(session, "X01").name, target.name)


def test_an_apology_needs_a_later_working_day_and_comes_once(session, received):
    due = received.due_at  # Friday 27/11 17:00
    clock.set_now(datetime(2026, 11, 25, 9, 0))
    for new_due in (None, datetime(2026, 11, 25, 9, 0), due):
        e = _refused(session, received, "receiver", Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=new_due)
        assert (e.code, e.field, e.status) == ("new_due_invalid", "new_due_at", 422)
    e = _refused(
        session, received, "receiver", Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=datetime(2026, 11, 28, 17)
    )
    assert (e.code, e.field, e.status) == ("new_due_not_working_day", "new_due_at", 422)  # a Saturday
    new_due = datetime(2026, 12, 2, 17, 0)
    d = _act(session, "receiver", received, Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=new_due)
    assert d.due_at == new_due and d.apology_issued_at == datetime(2026, 11, 25, 9, 0)
    event = session.exec(select(DossierEvent).where(DossierEvent.action == Action.ISSUE_APOLOGY.value)).one()
    assert (event.data["old_due_at"], event.data["new_due_at"]) == (due.isoformat(), new_due.isoformat())
    e = _refused(session, d, "receiver", Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=datetime(2026, 12, 3, 17))
    assert (e.code, e.status) == ("apology_already_issued", 409)


def test_a_transfer_drops_the_assignee_and_a_late_apology_must_be_later_than_now(session, received):
    d = _act(session, "receiver", received, Action.ASSIGN, assignee_id=user(session, "specialist").id)
    d = _act(session, "leader", d, Action.TRANSFER, target_center_id=center(session, "P01").id)
    assert d.assignee_id is None  # the other unit's leader assigns its own specialist
    late = file_online(session)
    clock.set_now(MONDAY)
    late = _act(session, "receiver", late, Action.RECEIVE)
    now = datetime(2026, 11, 30, 10, 0)  # after the due moment (Friday 27/11 17:00)
    clock.set_now(now)
    e = _refused(session, late, "receiver", Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=now)
    assert e.code == "new_due_invalid"


def test_another_centers_officer_is_offered_no_action_even_after_a_transfer(session, received):
    from onestop.services.dossiers import available_actions

    outsider = officer_of(session, "P01", "receiver")
    assert available_actions(outsider, received) == []  # received at X01: P01 may not act on it
    assert Action.ASSIGN in available_actions(actor(session, "receiver"), received)
    d = _act(session, "leader", received, Action.TRANSFER, target_center_id=center(session, "P01").id)
    assert available_actions(actor(session, "leader"), d) == []  # X01 still sees it, but acts no more
    assert Action.STOP in available_actions(officer_of(session, "P01", "leader"), d)
