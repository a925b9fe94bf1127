"""Use cases on a real database: lifecycle walk, clock, audit events, permissions, concurrency."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from onestop import clock
from onestop.db import transaction
from onestop.domain.errors import ConcurrentChange, DomainError
from onestop.domain.lifecycle import Action, Status
from onestop.models import Dossier, DossierEvent, Notification, OutboundMessage, Procedure
from onestop.services.catalog import publish_new_version
from onestop.services.dossiers import ActionInput, available_actions, get_dossier, perform
from onestop.services.payments import record_counter_payment
from onestop.services.results import render_document
from tests.integration.helpers import actor, file_online, officer_of, user

MONDAY = datetime(2026, 11, 23, 9, 0)  # a working day (the demo "today" is a Saturday)


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def events(session, dossier_id):
    return session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.id)
    ).all()


def act(session, role, d, action, **data):
    with transaction(session):
        return perform(
            session, actor(session, role), d.id, action, expected_version=d.version, data=ActionInput(**data)
        )


def test_full_walk_one_event_per_action_and_documents(session):
    d = file_online(session)
    assert d.status == Status.SUBMITTED and d.code.startswith("X01-261123-")
    assert d.fee_amount == 0  # business households are free online
    steps = [
        ("receiver", Action.RECEIVE, {}),
        ("receiver", Action.ASSIGN, {"assignee_id": user(session, "specialist").id}),
        ("specialist", Action.APPRAISE, {"opinion": "Đủ điều kiện"}),
        ("specialist", Action.SUBMIT_FOR_APPROVAL, {}),
        ("leader", Action.APPROVE, {}),
        ("leader", Action.SIGN, {}),
        ("specialist", Action.ISSUE_RESULT, {}),
        ("receiver", Action.RETURN_RESULT, {"return_method": "electronic"}),
    ]
    for i, (role, action, data) in enumerate(steps):
        clock.set_now(MONDAY + timedelta(minutes=20 * (i + 1)))
        before = len(events(session, d.id))
        d = act(session, role, d, action, **data)
        assert len(events(session, d.id)) == before + 1, action
    assert d.status == Status.RETURNED and d.on_time is True
    # received Monday 23/11 09:20; Tuesday 24/11 is Vietnamese Culture Day (a holiday from 2026),
    # so 3 working days are Wed, Thu, Fri → Friday 27/11 17:00
    assert d.due_at == datetime(2026, 11, 27, 17, 0)
    assert d.result_attachment_id is not None
    evs = events(session, d.id)
    assert [e.action for e in evs][0] == "submit"
    assert {e.outcome for e in evs if e.action in ("assign", "submit_for_approval", "approve", "sign")} <= {
        "early",
        "on_time",
    }
    officer = actor(session, "receiver")
    for kind in ("receipt", "control_sheet"):
        name, pdf = render_document(session, officer, d, kind)
        assert pdf.startswith(b"%PDF") and name.endswith(".pdf")
    with pytest.raises(DomainError) as exc:
        render_document(session, officer, d, "refusal")
    assert exc.value.code == "document_not_issued"
    # the applicant was notified in-app and by the SMS outbox, once per change that matters
    kinds = session.exec(select(Notification.kind).where(Notification.dossier_id == d.id)).all()
    assert sorted(kinds) == sorted(["submitted", "received", "result_ready", "returned"])
    assert session.exec(select(func.count()).select_from(OutboundMessage)).one() == 4


def test_transition_not_in_table_is_refused_and_changes_nothing(session):
    d = file_online(session)
    with pytest.raises(DomainError) as exc:
        act(session, "leader", d, Action.APPROVE)
    assert exc.value.code == "transition_not_allowed"
    with pytest.raises(DomainError) as exc:
        act(session, "specialist", d, Action.RECEIVE)
    assert exc.value.code == "role_not_allowed"
    session.expire_all()
    fresh = session.get(Dossier, d.id)
    assert fresh.status == Status.SUBMITTED and fresh.version == d.version
    assert len(events(session, d.id)) == 1


def test_supplement_pauses_and_restarts_the_clock(session):
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    d = act(session, "receiver", d, Action.ASSIGN, assignee_id=user(session, "specialist").id)
    first_due = d.due_at
    clock.set_now(datetime(2026, 11, 24, 10, 0))
    deadline = datetime(2026, 12, 1, 17, 0)
    with pytest.raises(DomainError) as exc:
        act(session, "specialist", d, Action.REQUEST_SUPPLEMENT, missing_items=[], supplement_deadline=deadline)
    assert exc.value.code == "missing_items_required"
    d = act(
        session,
        "specialist",
        d,
        Action.REQUEST_SUPPLEMENT,
        missing_items=["Hợp đồng thuê nhà"],
        supplement_deadline=deadline,
        reason="Thiếu hợp đồng",
    )
    assert d.status == Status.SUPPLEMENT and d.paused_at == datetime(2026, 11, 24, 10, 0)
    assert render_document(session, actor(session, "citizen"), d, "supplement")[1].startswith(b"%PDF")
    # the citizen cannot close it; the officer cannot close it before the deadline
    with pytest.raises(DomainError) as exc:
        act(session, "specialist", d, Action.CLOSE_MISSING_SUPPLEMENT, reason="Hết hạn")
    assert exc.value.code == "supplement_deadline_not_passed"
    clock.set_now(datetime(2026, 11, 30, 14, 0))
    from tests.integration.helpers import attach

    att = attach(session, user(session, "citizen"), "lease")
    d = act(session, "citizen", d, Action.PROVIDE_SUPPLEMENT, attachment_ids=[att.id])
    assert d.status == Status.SUPPLEMENT and d.supplement_request["provided"] is True
    clock.set_now(datetime(2026, 12, 1, 8, 0))
    d = act(session, "specialist", d, Action.CONFIRM_SUPPLEMENT)
    assert d.status == Status.PROCESSING and d.step == "appraisal" and d.paused_at is None
    # restart from zero: Tue 1/12 08:00 + 3 working days → Fri 4/12 17:00
    assert d.due_at == datetime(2026, 12, 4, 17, 0) and d.due_at > first_due


def test_apology_once_with_a_later_working_day(session):
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    with pytest.raises(DomainError) as exc:
        act(session, "receiver", d, Action.ISSUE_APOLOGY, reason="Chậm", new_due_at=datetime(2026, 11, 28, 17, 0))
    assert exc.value.code == "new_due_not_working_day"  # a Saturday
    d = act(
        session,
        "receiver",
        d,
        Action.ISSUE_APOLOGY,
        reason="Cần xác minh thêm",
        new_due_at=datetime(2026, 12, 2, 17, 0),
    )
    assert d.due_at == datetime(2026, 12, 2, 17, 0) and d.apology_issued_at is not None
    assert Action.ISSUE_APOLOGY not in available_actions(actor(session, "receiver"), d)
    with pytest.raises(DomainError) as exc:
        act(session, "receiver", d, Action.ISSUE_APOLOGY, reason="Lần hai", new_due_at=datetime(2026, 12, 3, 17, 0))
    assert exc.value.code == "apology_already_issued"
    assert render_document(session, actor(session, "receiver"), d, "apology")[1].startswith(b"%PDF")


def test_result_cannot_be_returned_while_fee_unpaid(session):
    d = file_online(session, "2.000815")  # certified copy, 2 pages × 3 copies: (2,000 + 2,000) × 3
    assert d.fee_status == "unpaid" and d.fee_amount == 12000
    d = act(session, "receiver", d, Action.RECEIVE)
    d = act(session, "receiver", d, Action.ASSIGN, assignee_id=user(session, "specialist").id)
    for role, action, data in [
        ("specialist", Action.APPRAISE, {"opinion": "Đúng bản chính"}),
        ("specialist", Action.SUBMIT_FOR_APPROVAL, {}),
        ("leader", Action.APPROVE, {}),
        ("leader", Action.SIGN, {}),
        ("specialist", Action.ISSUE_RESULT, {}),
    ]:
        d = act(session, role, d, action, **data)
    with pytest.raises(DomainError) as exc:
        act(
            session,
            "receiver",
            d,
            Action.RETURN_RESULT,
            return_method="in_person",
            recipient_id=d.applicant_national_id,
        )
    assert exc.value.code == "fee_unpaid"
    record_counter_payment(session, d)
    session.refresh(d)
    d = act(
        session, "receiver", d, Action.RETURN_RESULT, return_method="in_person", recipient_id=d.applicant_national_id
    )
    assert d.status == Status.RETURNED


def test_stale_version_loses(session):
    d = file_online(session)
    receiver = actor(session, "receiver")
    seen = d.version
    perform(session, receiver, d.id, Action.RECEIVE, expected_version=seen)
    with pytest.raises(ConcurrentChange) as exc:
        perform(session, receiver, d.id, Action.REFUSE, expected_version=seen, data=ActionInput(reason="x"))
    assert "reload" in exc.value.en
    assert len(events(session, d.id)) == 2


def test_two_officers_at_once_exactly_one_wins(session):
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    seen = d.version
    specialist_id = user(session, "specialist").id
    leader_id = user(session, "leader").id
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(role: str, assignee: int) -> None:
        with transaction() as s:
            who = actor(s, role)
            barrier.wait()
            try:
                perform(s, who, d.id, Action.ASSIGN, expected_version=seen, data=ActionInput(assignee_id=assignee))
                results.append("ok")
            except ConcurrentChange:
                results.append("conflict")
            except Exception as exc:  # SQLite may report a busy database as an OperationalError
                results.append(f"error:{type(exc).__name__}")

    threads = [
        threading.Thread(target=attempt, args=("receiver", specialist_id)),
        threading.Thread(target=attempt, args=("leader", leader_id)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"], results
    assert (
        session.exec(
            select(func.count())
            .select_from(DossierEvent)
            .where(DossierEvent.dossier_id == d.id, DossierEvent.action == "assign")
        ).one()
        == 1
    )


def test_scope_rules(session):
    d = file_online(session)
    other_center_specialist = officer_of(session, "P01", "specialist")
    other_center_receiver = officer_of(session, "P01", "receiver")
    with pytest.raises(DomainError) as exc:
        get_dossier(session, other_center_specialist, dossier_id=d.id)
    assert exc.value.status == 404
    with pytest.raises(DomainError):
        perform(session, other_center_receiver, d.id, Action.RECEIVE, expected_version=d.version)
    # another citizen cannot see it; a province admin can
    from onestop.services.actor import Actor

    stranger = Actor(user_id=999_999, role="citizen", full_name="Người lạ")
    with pytest.raises(DomainError):
        get_dossier(session, stranger, code=d.code)
    assert get_dossier(session, actor(session, "admin"), code=d.code).id == d.id
    # a specialist acts only on dossiers assigned to them
    d = act(session, "receiver", d, Action.RECEIVE)
    d = act(session, "receiver", d, Action.ASSIGN, assignee_id=officer_of(session, "X01", "specialist").user_id)
    other = [
        u
        for u in session.exec(
            select(__import__("onestop.models", fromlist=["User"]).User).where(
                __import__("onestop.models", fromlist=["User"]).User.role == "specialist"
            )
        )
        if u.center_id == d.handling_center_id and u.id != d.assignee_id
    ]
    assert other, "the demo center has two specialists"
    from onestop.services.actor import Actor as A

    with pytest.raises(DomainError) as exc:
        perform(
            session,
            A.from_user(other[0]),
            d.id,
            Action.APPRAISE,
            expected_version=d.version,
            data=ActionInput(opinion="x"),
        )
    assert exc.value.code == "not_assignee"


def test_catalog_edit_never_moves_an_open_deadline(session):
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    due = d.due_at
    old_proc_id = d.procedure_id
    # the newest version of this code (an earlier run on the same database may have left a v2 as history)
    old_version = session.exec(select(func.max(Procedure.version)).where(Procedure.code == "1.001612")).one()
    new = publish_new_version(
        session,
        actor(session, "admin"),
        "1.001612",
        {
            "duration_counter": {"value": 10, "unit": "working_days"},
            "duration_online": {"value": 10, "unit": "working_days"},
        },
    )
    try:
        assert new.version == old_version + 1
        d = act(session, "receiver", d, Action.ASSIGN, assignee_id=user(session, "specialist").id)
        assert d.due_at == due and d.procedure_id == old_proc_id
        d2 = file_online(session)
        assert d2.procedure_id == new.id
    finally:  # put the reference catalog back for the other tests (v2 stays as history)
        session.rollback()
        new.is_current = False
        session.add(new)
        old = session.get(Procedure, old_proc_id)
        old.is_current = True
        session.add(old)
        session.commit()


def test_bad_form_input_changes_nothing(session):
    from onestop.models import Resident
    from onestop.services.dossiers import file_dossier
    from tests.integration.helpers import center, form_for

    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    count = session.exec(select(func.count()).select_from(Dossier)).one()
    for bad in (
        {"business_name": ""},
        {"capital": -5},
        {"smuggled": "x"},
        {"national_id": "036188004513"},
        {"business_name": "x" * 5000},
    ):
        with pytest.raises(DomainError) as exc:
            file_dossier(
                session,
                actor(session, "citizen"),
                procedure_code="1.001612",
                form_data=form_for(session, "1.001612", resident, **bad),
                channel="online",
                center_id=center(session).id,
            )
        assert exc.value.status == 422 and exc.value.vi and exc.value.en
    assert session.exec(select(func.count()).select_from(Dossier)).one() == count
