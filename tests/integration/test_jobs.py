"""Deadline alerts, reminders and digests with a frozen clock; exactly-once under concurrent runs.

The dossier used throughout: business household registration (3 working days),
received Monday 23/11/2026 09:00; Tuesday 24/11 is Vietnamese Culture Day, so
it is due Friday 27/11 17:00.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from onestop import clock
from onestop.db import new_session, transaction
from onestop.domain.lifecycle import Action
from onestop.models import Appointment, Center, Dossier, Notification, OutboundMessage, QueueTicket, User
from onestop.services import alerts
from onestop.services.dossiers import ActionInput, perform
from tests.integration.helpers import actor, center, file_online, user

MONDAY = datetime(2026, 11, 23, 9, 0)
DUE = datetime(2026, 11, 27, 17, 0)


@pytest.fixture(autouse=True)
def _frozen():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


def act(session, role, d, action, **data):
    with transaction(session):
        return perform(
            session, actor(session, role), d.id, action, expected_version=d.version, data=ActionInput(**data)
        )


def assigned_dossier(session) -> Dossier:
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    d = act(session, "receiver", d, Action.ASSIGN, assignee_id=user(session, "specialist").id)
    assert d.due_at == DUE
    return d


def alerts_of(session, kind: str, dossier_id: int | None = None) -> list[Notification]:
    stmt = select(Notification).where(Notification.kind == kind)
    if dossier_id is not None:
        stmt = stmt.where(Notification.dossier_id == dossier_id)
    session.expire_all()
    return list(session.exec(stmt.order_by(Notification.user_id)))


def scan_at(moment: datetime, **kwargs) -> alerts.ScanReport:
    clock.set_now(moment)
    with transaction() as s:
        return alerts.scan_deadlines(s, **kwargs)


def run_concurrently(fn, n: int = 4) -> list:
    """Start `fn` in n threads at the same instant, each with its own session; re-raise any failure."""
    barrier = threading.Barrier(n)
    results: list = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    return results


def test_nothing_to_say_while_the_deadline_is_far(session):
    assigned_dossier(session)
    report = scan_at(datetime(2026, 11, 25, 10, 0))
    assert report.total_created == 0 and report.due_soon_dossiers == 0


def test_due_soon_then_overdue_once_each_even_when_two_runs_race(session):
    d = assigned_dossier(session)
    specialist, leader = user(session, "specialist"), user(session, "leader")

    # Thursday: due by the end of the next working day → the assignee, once, although four runs race
    clock.set_now(datetime(2026, 11, 26, 9, 0))

    def scan():
        with transaction() as s:
            return alerts.scan_deadlines(s)

    reports = run_concurrently(scan)
    assert sum(r.created.get(alerts.KIND_DUE_SOON, 0) for r in reports) == 1
    soon = alerts_of(session, alerts.KIND_DUE_SOON, d.id)
    assert [n.user_id for n in soon] == [specialist.id]
    assert d.code in soon[0].title and "17:00 27/11/2026" in soon[0].body
    assert soon[0].url == f"/officer/dossiers/{d.code}" and soon[0].push_status == "pending"
    assert scan().total_created == 0  # and a later rerun adds nothing

    # Friday 17:05: overdue → the assignee and the center's leader, with the apology prompt, once
    clock.set_now(DUE + timedelta(minutes=5))
    reports = run_concurrently(scan)
    assert sum(r.created.get(alerts.KIND_OVERDUE, 0) for r in reports) == 2
    late = alerts_of(session, alerts.KIND_OVERDUE, d.id)
    assert sorted(n.user_id for n in late) == sorted([specialist.id, leader.id])
    assert all("thư xin lỗi" in n.body for n in late)
    assert scan().total_created == 0
    assert len(alerts_of(session, alerts.KIND_DUE_SOON, d.id)) == 1  # still exactly one due-soon alert
    assert alerts_of(session, alerts.KIND_ESCALATION, d.id) == []


def test_escalation_after_n_working_days_to_province_admins(session):
    d = assigned_dossier(session)
    admin = user(session, "admin")
    assert admin.center_id is None
    # Friday 17:00 + 3 working days (Mon, Tue, Wed counted from Monday's reception day) → Thursday 3/12 17:00
    assert scan_at(datetime(2026, 12, 3, 16, 0)).created.get(alerts.KIND_ESCALATION, 0) == 0
    report = scan_at(datetime(2026, 12, 4, 9, 0))
    assert report.created[alerts.KIND_ESCALATION] == 1
    [esc] = alerts_of(session, alerts.KIND_ESCALATION, d.id)
    assert esc.user_id == admin.id and "3" in esc.title
    assert scan_at(datetime(2026, 12, 4, 9, 5)).total_created == 0
    # a custom threshold is honoured
    assert scan_at(datetime(2026, 12, 4, 9, 10), escalation_days=10).created.get(alerts.KIND_ESCALATION, 0) == 0


def test_apology_moves_the_deadline_and_a_new_crossing_alerts_again_without_prompt(session):
    d = assigned_dossier(session)
    scan_at(DUE + timedelta(minutes=5))
    assert len(alerts_of(session, alerts.KIND_OVERDUE, d.id)) == 2
    clock.set_now(DUE + timedelta(hours=16))  # Saturday morning
    new_due = datetime(2026, 12, 2, 17, 0)
    d = session.get(Dossier, d.id)
    d = act(session, "specialist", d, Action.ISSUE_APOLOGY, reason="Cần xác minh thêm", new_due_at=new_due)
    assert d.due_at == new_due and d.apology_issued_at is not None
    # the citizen got the apology with the new date (in-app and SMS outbox)
    apology = session.exec(
        select(Notification).where(Notification.dossier_id == d.id, Notification.kind == "apology")
    ).one()
    assert "17:00 02/12/2026" in apology.body
    assert scan_at(datetime(2026, 11, 30, 9, 0)).total_created == 0  # the new date is not close yet
    assert scan_at(datetime(2026, 12, 1, 9, 0)).created[alerts.KIND_DUE_SOON] == 1
    scan_at(datetime(2026, 12, 2, 17, 30))
    late = alerts_of(session, alerts.KIND_OVERDUE, d.id)
    assert len(late) == 4
    newest = [n for n in late if "02/12/2026" in n.body]
    assert len(newest) == 2 and not any("thư xin lỗi" in n.body for n in newest)


def test_unassigned_dossier_alerts_the_centers_one_stop_officers(session):
    d = file_online(session)
    d = act(session, "receiver", d, Action.RECEIVE)
    scan_at(datetime(2026, 11, 26, 9, 0))
    x01 = center(session, "X01")
    receivers = session.exec(select(User.id).where(User.center_id == x01.id, User.role == "receiver")).all()
    assert sorted(n.user_id for n in alerts_of(session, alerts.KIND_DUE_SOON, d.id)) == sorted(receivers)


def test_supplement_deadline_passed_alerts_the_officer_once(session):
    d = assigned_dossier(session)
    clock.set_now(datetime(2026, 11, 25, 9, 0))
    deadline = datetime(2026, 11, 30, 17, 0)
    d = act(
        session,
        "specialist",
        d,
        Action.REQUEST_SUPPLEMENT,
        missing_items=["Bản sao hợp đồng thuê nhà"],
        supplement_deadline=deadline,
    )
    assert scan_at(datetime(2026, 11, 30, 16, 0)).created.get(alerts.KIND_SUPPLEMENT, 0) == 0
    # paused: no due-soon or overdue alert while the citizen has the dossier
    report = scan_at(datetime(2026, 12, 1, 8, 0))
    assert report.created[alerts.KIND_SUPPLEMENT] == 1 and report.overdue_dossiers == 0
    [n] = alerts_of(session, alerts.KIND_SUPPLEMENT, d.id)
    assert n.user_id == user(session, "specialist").id and "17:00 30/11/2026" in n.body
    assert scan_at(datetime(2026, 12, 1, 8, 5)).total_created == 0


def test_supplement_provided_before_anyone_confirmed_is_not_alerted(session):
    d = assigned_dossier(session)
    clock.set_now(datetime(2026, 11, 25, 9, 0))
    d = act(
        session,
        "specialist",
        d,
        Action.REQUEST_SUPPLEMENT,
        missing_items=["Ảnh chân dung"],
        supplement_deadline=datetime(2026, 11, 30, 17, 0),
    )
    d = act(session, "citizen", d, Action.PROVIDE_SUPPLEMENT, note="Đã gửi ảnh qua bưu điện")
    assert scan_at(datetime(2026, 12, 1, 8, 0)).created.get(alerts.KIND_SUPPLEMENT, 0) == 0


def test_officer_alert_language_follows_the_officer(session):
    d = assigned_dossier(session)
    specialist = user(session, "specialist")
    specialist.language = "en"
    session.add(specialist)
    session.commit()
    try:
        scan_at(datetime(2026, 11, 26, 9, 0))
        [n] = alerts_of(session, alerts.KIND_DUE_SOON, d.id)
        assert n.title == f"Dossier {d.code} is due soon"
    finally:
        specialist.language = "vi"
        session.add(specialist)
        session.commit()


def test_appointment_reminder_the_day_before_once_on_every_channel(session):
    citizen = user(session, "citizen")
    citizen.email = "lan@example.vn"
    session.add(citizen)
    x01 = center(session, "X01")
    appt = Appointment(
        center_id=x01.id,
        user_id=citizen.id,
        procedure_code="1.001612",
        at=datetime(2026, 11, 24, 8, 30),
        created_at=MONDAY,
    )
    other = Appointment(
        center_id=x01.id,
        user_id=citizen.id,
        procedure_code="1.001612",
        at=datetime(2026, 11, 26, 8, 30),
        created_at=MONDAY,
    )
    session.add_all([appt, other])
    session.commit()
    try:
        clock.set_now(datetime(2026, 11, 23, 6, 0))  # too early in the morning: nothing yet
        assert alerts.send_appointment_reminders(new_session()) == 0

        def remind():
            with transaction() as s:
                return alerts.send_appointment_reminders(s, now=datetime(2026, 11, 23, 16, 0))

        assert sum(run_concurrently(remind, 3)) == 1
        [n] = alerts_of(session, alerts.KIND_APPOINTMENT)
        assert n.user_id == citizen.id and "08:30" in n.title and "24/11/2026" in n.title
        sent = session.exec(select(OutboundMessage).where(OutboundMessage.dedupe_key.startswith(n.dedupe_key))).all()
        assert sorted(m.channel for m in sent) == ["email", "sms"]
        assert {m.recipient for m in sent} == {citizen.phone, "lan@example.vn"}
    finally:
        citizen.email = ""
        session.add(citizen)
        session.commit()


def test_daily_digest_once_per_officer_per_working_day(session):
    d1 = assigned_dossier(session)
    clock.set_now(MONDAY + timedelta(minutes=30))
    d2 = act(session, "receiver", file_online(session), Action.RECEIVE)  # unassigned → the receivers
    friday_morning = datetime(2026, 11, 27, 7, 30)
    with transaction() as s:
        assert alerts.send_daily_digests(s, now=friday_morning) >= 2
    specialist = user(session, "specialist")
    digests = alerts_of(session, alerts.KIND_DIGEST)
    mine = [n for n in digests if n.user_id == specialist.id]
    assert len(mine) == 1 and "1 hồ sơ đến hạn hôm nay" in mine[0].body
    with transaction() as s:
        assert alerts.send_daily_digests(s, now=friday_morning + timedelta(minutes=15)) == 0
    with transaction() as s:  # Saturday: no digest
        assert alerts.send_daily_digests(s, now=datetime(2026, 11, 28, 7, 30)) == 0
    with transaction() as s:  # afternoon: too late for a morning digest
        assert alerts.send_daily_digests(s, now=datetime(2026, 11, 30, 14, 0)) == 0
    assert d1.id != d2.id


def test_queue_called_notice_in_the_callers_transaction(session):
    citizen = user(session, "citizen")
    x01 = session.exec(select(Center).where(Center.code == "X01")).one()
    ticket = QueueTicket(
        center_id=x01.id,
        day=MONDAY.date(),
        number=17,
        user_id=citizen.id,
        status="called",
        created_at=MONDAY,
        called_at=MONDAY + timedelta(minutes=3),
    )
    session.add(ticket)
    session.flush()
    assert alerts.notify_queue_called(session, ticket, "quầy số 3") is True
    assert alerts.notify_queue_called(session, ticket, "quầy số 3") is False  # same call: once
    session.commit()
    [n] = alerts_of(session, alerts.KIND_QUEUE)
    assert n.title == "Đã đến lượt số 17" and n.body == "Mời bạn đến quầy số 3."
    [sms] = session.exec(select(OutboundMessage).where(OutboundMessage.dedupe_key == n.dedupe_key)).all()
    assert sms.channel == "sms" and sms.recipient == citizen.phone and "17" in sms.body


def test_the_bell_counts_lists_and_marks_read(session):
    d = file_online(session)
    citizen = user(session, "citizen")
    assert alerts.unread_count(session, citizen.id) == 1
    act(session, "receiver", d, Action.RECEIVE)
    items = alerts.latest(session, citizen.id)
    assert [i.kind for i in items] == ["received", "submitted"] and not any(i.read for i in items)
    assert alerts.mark_read(session, citizen.id, [items[0].id]) == 1
    assert alerts.unread_count(session, citizen.id) == 1
    assert alerts.mark_read(session, user(session, "specialist").id) == 0  # nobody else's
    assert alerts.mark_read(session, citizen.id) == 1
    assert alerts.unread_count(session, citizen.id) == 0


def test_scan_queries_are_index_range_scans(session):
    """The scans filter on the indexed columns only (no function of a column, no Python loop over rows)."""
    now = datetime(2026, 11, 26, 9, 0)
    for stmt in (
        alerts.due_soon_query(now, now + timedelta(days=1)),
        alerts.overdue_query(now),
        alerts.supplement_query(now),
    ):
        sql = str(stmt.compile(compile_kwargs={"literal_binds": True})).lower()
        assert "dossier.status in" in sql or "dossier.status =" in sql
    count = session.exec(select(func.count()).select_from(Notification)).one()
    assert count == 0


def test_known_keys_finds_exactly_the_stored_dedupe_keys(session):
    """The scan's one lookup before writing texts: stored keys found, others not, whatever their number."""
    from onestop.services.notify import known_keys

    officer = user(session, "specialist")
    stored = [f"alert.test:{i}:{officer.id}" for i in range(3)]
    for key in stored:
        session.add(
            Notification(
                user_id=officer.id,
                kind="alert.test",
                title="t",
                body="b",
                url="/",
                dedupe_key=key,
                created_at=datetime(2026, 11, 26, 9, 0),
            )
        )
    session.commit()
    asked = [*(f"alert.test:{i}:{officer.id}" for i in range(1200)), "alert.test:x"]
    assert known_keys(session, asked) == set(stored)  # PostgreSQL: one text parameter split by the server
    assert known_keys(session, [*asked, "with\nnewline"]) == set(stored)  # a key the split would break: chunks
    assert known_keys(session, []) == set()
