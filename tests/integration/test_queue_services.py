"""Queue and appointment use cases on a real database (SQLite, and PostgreSQL when the run names one)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from onestop import clock
from onestop.db import get_engine, is_postgres, transaction
from onestop.domain import queue as rules
from onestop.domain.errors import DomainError
from onestop.models import Appointment, Counter, Notification, QueuePolicy, QueueTicket, User
from onestop.read import appointments as appointment_read
from onestop.services import appointments, queue
from onestop.services.actor import Actor
from tests.integration.helpers import actor, center, user

MONDAY = datetime(2026, 3, 2, 8, 0)  # a working Monday
postgres_only = pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL (ONESTOP_DATABASE_URL)")


@pytest.fixture()
def x01(session):  # noqa: ANN001, ANN201
    clock.set_now(MONDAY)
    return center(session, "X01")


def counter_no(session, center_id: int, number: int) -> Counter:  # noqa: ANN001
    return session.exec(select(Counter).where(Counter.center_id == center_id, Counter.number == number)).one()


def take(session, x01, field="land", holder=None, minutes=0, **kw):  # noqa: ANN001, ANN003, ANN201
    with transaction(session) as s:
        return queue.take_number(
            s,
            center_id=x01.id,
            field_code=field,
            holder=holder or f"device:{'k' * 16}{minutes}{field}{kw.get('priority', '')}",
            now=MONDAY + timedelta(minutes=minutes),
            **kw,
        )


def test_numbers_restart_daily_and_are_per_center(session, x01):
    a = take(session, x01)
    b = take(session, x01, field="civil_status", minutes=1)
    assert (a.number, b.number) == (1, 2)
    with transaction(session) as s:
        tomorrow = queue.take_number(
            s, center_id=x01.id, field_code="land", holder="kiosk", now=MONDAY + timedelta(days=1)
        )
    assert tomorrow.number == 1 and tomorrow.day == MONDAY.date() + timedelta(days=1)
    with transaction(session) as s:
        assert queue.close_day(s, MONDAY + timedelta(days=1)) == 2
    session.refresh(a)
    assert a.status == rules.MISSED


def test_daily_limit_per_person_and_unknown_field(session, x01):
    holder = "user:" + str(user(session, "citizen").id)
    for i in range(3):
        take(session, x01, holder=holder, minutes=i)
    with pytest.raises(DomainError) as err:
        take(session, x01, holder=holder, minutes=5)
    assert err.value.code == "queue_limit"
    take(session, x01, holder="kiosk", minutes=6)  # the kiosk serves people without a phone: no limit
    with pytest.raises(DomainError) as err:
        take(session, x01, field="transport")  # X01 has no road-transport counter
    assert err.value.code == "field_not_served"


def test_call_next_order_recall_skip_lapse(session, x01):
    officer = actor(session, "receiver")
    c3 = counter_no(session, x01.id, 3)  # land, construction
    first = take(session, x01, minutes=0)
    second = take(session, x01, minutes=1)
    take(session, x01, field="civil_status", minutes=2)  # not counter 3's field
    with transaction(session) as s:
        got = queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=10)).ticket
    assert got.id == first.id and got.status == rules.CALLED and got.call_count == 1 and got.counter_id == c3.id
    with transaction(session) as s:
        assert queue.recall(s, officer, c3.id, got.id, now=MONDAY + timedelta(minutes=11)).call_count == 2
    with transaction(session) as s:  # no-show: back of the line
        skipped = queue.skip(s, officer, c3.id, got.id, now=MONDAY + timedelta(minutes=12))
    assert skipped.status == rules.WAITING and skipped.counter_id is None
    with transaction(session) as s:
        nxt = queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=13)).ticket
    assert nxt.id == second.id
    with transaction(session) as s:  # the previous called ticket is skipped by the press; then the first again
        again = queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=14))
    assert again.ticket.id == first.id and again.ticket.call_count == 3
    with pytest.raises(DomainError), transaction(session) as s:
        queue.recall(s, officer, c3.id, first.id)  # max_calls = 3
    with transaction(session) as s:
        lapsed = queue.skip(s, officer, c3.id, first.id, now=MONDAY + timedelta(minutes=15))
    assert lapsed.status == rules.MISSED


def test_priority_interleave_and_appointment_first(session, x01):
    officer = actor(session, "receiver")
    c3 = counter_no(session, x01.id, 3)
    with transaction(session) as s:
        s.add(QueuePolicy(center_id=x01.id, priority_mode="interleave", priority_every=2))
    regular = [take(session, x01, minutes=i) for i in range(4)]
    prio = take(session, x01, minutes=5, priority=True)
    order = []
    for i in range(5):
        with transaction(session) as s:
            t = queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=20 + i)).ticket
            queue.start_serving(s, officer, c3.id, t.id, now=MONDAY + timedelta(minutes=20 + i))
            order.append(t.id)
    assert order == [regular[0].id, regular[1].id, prio.id, regular[2].id, regular[3].id]

    # an appointment checked in today is called first once its time has come
    citizen = actor(session, "citizen")
    clock.set_now(MONDAY - timedelta(days=3))
    with transaction(session) as s:
        appt = appointments.book(
            s, citizen, center_id=x01.id, procedure_code="1.001612", at=MONDAY + timedelta(hours=1)
        )  # business → counter 2
    walk_in = take(session, x01, field="business", minutes=30)
    clock.set_now(MONDAY + timedelta(minutes=40))
    with transaction(session) as s:
        ticket = queue.check_in(s, citizen, appt.id)
    c2 = counter_no(session, x01.id, 2)
    with transaction(session) as s:
        early = queue.call_next(s, officer, c2.id, now=MONDAY + timedelta(minutes=45)).ticket
    assert early.id == walk_in.id  # 08:45: the 09:00 appointment is not due yet
    with transaction(session) as s:
        due = queue.call_next(s, officer, c2.id, now=MONDAY + timedelta(minutes=61)).ticket
    assert due.id == ticket.id and session.get(Appointment, appt.id).status == "done"


def test_transfer_serve_link_and_notifications(session, x01):
    officer = actor(session, "receiver")
    citizen = user(session, "citizen")
    c1, c3 = counter_no(session, x01.id, 1), counter_no(session, x01.id, 3)
    mine = take(session, x01, holder=f"user:{citizen.id}", user_id=citizen.id)
    with transaction(session) as s:
        queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=5))
    called = session.exec(
        select(Notification).where(Notification.user_id == citizen.id, Notification.kind == "queue_called")
    ).all()
    assert len(called) == 1 and "1" in called[0].title
    with transaction(session) as s:
        moved = queue.transfer(s, officer, c3.id, mine.id, c1.id)
    assert moved.status == rules.WAITING and moved.counter_id == c1.id
    with transaction(session) as s:  # counter 1 does not serve land, but takes what was sent to it
        got = queue.call_next(s, officer, c1.id, now=MONDAY + timedelta(minutes=8)).ticket
        queue.start_serving(s, officer, c1.id, got.id, now=MONDAY + timedelta(minutes=9))
    assert got.id == mine.id
    with pytest.raises(DomainError) as err, transaction(session) as s:
        queue.finish(s, officer, c1.id, got.id, dossier_code="X01-000000-9999")
    assert err.value.code == "dossier_not_found"
    with transaction(session) as s:
        done = queue.finish(s, officer, c1.id, got.id, now=MONDAY + timedelta(minutes=19))
    assert done.status == rules.SERVED and done.serving_at == MONDAY + timedelta(minutes=9)


def test_heads_up_when_near_the_front(session, x01):
    officer = actor(session, "receiver")
    citizen = user(session, "citizen")
    c3 = counter_no(session, x01.id, 3)
    with transaction(session) as s:
        s.add(QueuePolicy(center_id=x01.id, heads_up_at=1))
    take(session, x01, minutes=0)
    take(session, x01, minutes=1)
    mine = take(session, x01, minutes=2, holder=f"user:{citizen.id}", user_id=citizen.id)
    with transaction(session) as s:
        queue.call_next(s, officer, c3.id, now=MONDAY + timedelta(minutes=5))  # 1 ahead of me now
    soon = session.exec(select(Notification).where(Notification.kind == queue.KIND_HEADS_UP)).all()
    assert [n.user_id for n in soon] == [citizen.id]
    assert session.get(QueueTicket, mine.id).heads_up_sent


def test_officer_of_another_center_cannot_call(session, x01):
    t01 = center(session, "T01")
    other = Actor(user_id=user(session, "receiver").id, role="receiver", full_name="x", center_id=t01.id)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        queue.call_next(s, other, counter_no(session, x01.id, 3).id)
    assert err.value.status == 403


def test_picking_only_where_allowed(session, x01):
    officer = actor(session, "receiver")
    c3 = counter_no(session, x01.id, 3)
    take(session, x01, minutes=0)
    later = take(session, x01, minutes=1)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        queue.call_ticket(s, officer, c3.id, later.id)
    assert err.value.code == "pick_not_allowed"
    with transaction(session) as s:
        s.add(QueuePolicy(center_id=x01.id, pick_counter_ids=[c3.id]))
    with transaction(session) as s:
        assert queue.call_ticket(s, officer, c3.id, later.id).status == rules.CALLED


def test_appointments_capacity_double_booking_cancel(session, x01):
    clock.set_now(MONDAY)
    citizen = actor(session, "citizen")
    at = MONDAY + timedelta(days=1, hours=1)  # Tuesday 09:00
    people = [citizen, *_extra_citizens(session, 2)]
    with transaction(session) as s:  # land at X01: one counter × 2 per slot
        first = appointments.book(s, people[0], center_id=x01.id, procedure_code="1.000894", at=at)
    assert first.field_code == "civil_status"
    slot = next(x for x in appointment_read.slots(session, x01.id, "1.000894", at.date()) if x.at == at)
    assert (slot.capacity, slot.booked, slot.free) == (2, 1, 1)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        appointments.book(s, people[0], center_id=x01.id, procedure_code="1.000894", at=at + timedelta(hours=2))
    assert err.value.code == "appointment_twice"
    with transaction(session) as s:
        appointments.book(s, people[1], center_id=x01.id, procedure_code="1.000894", at=at)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        appointments.book(s, people[2], center_id=x01.id, procedure_code="1.000894", at=at)
    assert err.value.code == "slot_full"
    with transaction(session) as s:
        appointments.cancel(s, people[0], first.id)
    with transaction(session) as s:
        appointments.book(s, people[2], center_id=x01.id, procedure_code="1.000894", at=at)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        appointments.book(s, citizen, center_id=x01.id, procedure_code="1.000894", at=at + timedelta(minutes=7))
    assert err.value.code == "slot_closed"


def _extra_citizens(session, n: int) -> list[Actor]:  # noqa: ANN001
    out = []
    for i in range(n):
        phone = f"09990{i:05d}"
        u = session.exec(select(User).where(User.phone == phone)).first()
        if u is None:
            u = User(phone=phone, full_name=f"Người thử {i}", password_hash="x", role="citizen")
            session.add(u)
            session.commit()
        out.append(Actor.from_user(u))
    return out


# --------------------------------------------------------------------------- concurrency (PostgreSQL)


@postgres_only
def test_twenty_counters_calling_at_once_get_twenty_distinct_tickets(session, x01):
    officer = actor(session, "receiver")
    counters = []
    for n in range(101, 121):
        c = Counter(center_id=x01.id, number=n, name=f"Quầy thử {n}", field_codes=["land"])
        session.add(c)
        counters.append(c)
    session.commit()
    try:
        for i in range(25):
            take(session, x01, holder="kiosk", minutes=i)
        barrier = threading.Barrier(20)
        got: list[int | None] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def press(counter_id: int) -> None:
            try:
                barrier.wait(timeout=30)
                with transaction() as s:
                    result = queue.call_next(s, officer, counter_id, now=MONDAY + timedelta(minutes=40))
                    tid = result.ticket.id if result.ticket else None
                with lock:
                    got.append(tid)
            except BaseException as exc:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=press, args=(c.id,)) for c in counters]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert len(got) == 20 and None not in got and len(set(got)) == 20
        called = session.exec(select(QueueTicket).where(QueueTicket.status == rules.CALLED)).all()
        assert len(called) == 20 and len({t.counter_id for t in called}) == 20
        # the five left are the five latest: nobody was passed over
        left = sorted(t.number for t in session.exec(select(QueueTicket).where(QueueTicket.status == "waiting")))
        assert left == [21, 22, 23, 24, 25]
    finally:
        session.rollback()
        with get_engine().begin() as conn:
            conn.execute(sa.text("DELETE FROM queue_ticket"))
            conn.execute(sa.delete(Counter.__table__).where(Counter.__table__.c.number > 100))


@postgres_only
def test_ten_bookings_at_once_fill_the_slot_exactly(session, x01):
    people = _extra_citizens(session, 10)
    at = MONDAY + timedelta(days=1, hours=2)
    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(person: Actor) -> None:
        barrier.wait(timeout=30)
        try:
            with transaction() as s:
                appointments.book(s, person, center_id=x01.id, procedure_code="1.001612", at=at, now=MONDAY)
            outcome = "ok"
        except DomainError as err:
            outcome = err.code
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["ok", "ok"] + ["slot_full"] * 8
    booked = session.exec(select(Appointment).where(Appointment.at == at, Appointment.status == "booked")).all()
    assert len(booked) == 2


def test_booked_appointment_is_reminded_the_day_before(session, x01):
    from onestop.services import alerts

    citizen = actor(session, "citizen")
    at = MONDAY + timedelta(days=1, hours=2)
    with transaction(session) as s:
        appt = appointments.book(s, citizen, center_id=x01.id, procedure_code="1.000894", at=at)
    sent = alerts.send_appointment_reminders(session, now=MONDAY.replace(hour=10))
    assert sent == 1
    note = session.exec(
        select(Notification).where(Notification.user_id == citizen.user_id, Notification.kind == "reminder.appointment")
    ).one()
    assert "10:00" in note.title and str(appt.id) in note.dedupe_key
    with transaction(session) as s:  # a cancelled appointment is not reminded
        appointments.cancel(s, citizen, appt.id, now=MONDAY)
    assert alerts.send_appointment_reminders(session, now=MONDAY.replace(hour=10, minute=30)) == 0
