"""What the queue pages show: the ticket (people ahead, wait from today's pace), the display, the panel, figures."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from onestop import clock
from onestop.db import transaction
from onestop.domain import queue as rules
from onestop.models import Appointment, QueueTicket
from onestop.read import queue as read
from onestop.services import queue
from tests.integration.helpers import actor, center
from tests.integration.test_queue_services import MONDAY, counter_no, take


def test_ticket_display_panel_and_figures(session):
    clock.set_now(MONDAY)
    x01 = center(session, "X01")
    officer = actor(session, "receiver")
    c3 = counter_no(session, x01.id, 3)
    tickets = [take(session, x01, minutes=i) for i in range(4)]
    last = tickets[-1]
    view = read.ticket_view(session, last, now=MONDAY + timedelta(minutes=5))
    assert (view.number, view.ahead, view.status) == ("004", 3, "waiting")
    assert view.wait_minutes == 30  # 3 ahead, one land counter, the default 10 min before anyone was served

    # serve the first two: 4 and 6 minutes → today's pace is 5 minutes a person
    t = MONDAY + timedelta(minutes=10)
    for minutes in (4, 6):
        with transaction(session) as s:
            called = queue.call_next(s, officer, c3.id, now=t).ticket
            queue.start_serving(s, officer, c3.id, called.id, now=t)
            queue.finish(s, officer, c3.id, called.id, now=t + timedelta(minutes=minutes))
        t += timedelta(minutes=minutes)
    view = read.ticket_view(session, last, now=t)
    assert view.ahead == 1 and view.wait_minutes == 5
    with transaction(session) as s:
        queue.call_next(s, officer, c3.id, now=t)
    view = read.ticket_view(session, session.get(QueueTicket, tickets[2].id), now=t)
    assert view.status == "called" and view.counter == "3"

    display = read.display_view(session, x01, now=t)
    assert [c.number for c in display.calls] == ["003", "002", "001"] and display.waiting == 1
    assert all(c.counter == "3" for c in display.calls)

    panel = read.panel_view(session, c3, now=t)
    assert (panel.number, panel.status, panel.waiting_here, panel.waiting_center, panel.served_today) == (
        "003",
        "called",
        1,
        1,
        2,
    )
    assert panel.average_wait == round((10 + 13 + 18) / 3)  # minutes from taking the number to the first call

    figures = read.queue_figures(session, x01.id, MONDAY.date())
    assert (figures.tickets, figures.served, figures.waiting) == (4, 2, 1)
    assert figures.avg_service_min == 5.0
    assert {(r.counter, r.hour) for r in figures.rows} == {(3, 8), (0, 8)}
    # waits 10, 13 and 18 minutes at counter 3; the fourth number was never called (counter 0, still waiting)
    assert (figures.avg_wait_min, figures.max_wait_min) == (13.7, 18.0)
    day = MONDAY.date()
    by_counter = read.figure_rows(session, [x01.id], day, day, ("center", "counter"))
    assert [
        (r.center_id, r.counter, r.tickets, r.served, r.waiting, r.avg_wait_min, r.max_wait_min, r.avg_service_min)
        for r in by_counter
    ] == [(x01.id, 0, 1, 0, 1, 0.0, 0.0, 0.0), (x01.id, 3, 3, 2, 0, 13.7, 18.0, 5.0)]
    assert [(r.hour, r.tickets) for r in read.figure_rows(session, None, day, day, ("hour",))] == [(8, 4)]
    assert read.figure_rows(session, [x01.id], day + timedelta(days=1), day + timedelta(days=7), ()) == []
    assert read.figure_rows(session, [-1], day, day, ("center",)) == []  # another center's leader sees none of it


def test_sql_people_ahead_equals_the_domain_rule(session):
    """services.queue.ahead_count (one COUNT per poll) counts exactly what domain.queue.people_ahead counts."""
    from onestop.services.queue import ahead_count, front_of_line
    from onestop.services.queue import waiting_of as _shape

    clock.set_now(MONDAY)
    x01 = center(session, "X01")
    citizen = actor(session, "citizen")
    tickets = [take(session, x01, minutes=i, priority=i % 3 == 1) for i in range(9)]
    tickets.append(take(session, x01, field="civil_status", minutes=3))
    with transaction(session) as s:  # two appointment tickets: one due at 08:20, one at 09:30
        for at, minutes in ((MONDAY + timedelta(minutes=20), 4), (MONDAY + timedelta(minutes=90), 5)):
            t = QueueTicket(
                center_id=x01.id,
                day=MONDAY.date(),
                number=100 + minutes,
                field_code="land",
                user_id=citizen.user_id,
                status="waiting",
                created_at=MONDAY,
                queued_at=at,
                token=f"tok{minutes:020d}",
                holder="x",
                appointment_id=None,
            )
            s.add(t)
            s.flush()
            tickets.append(t)
    with transaction(session) as s:
        for t in tickets[-2:]:
            a = Appointment(
                center_id=x01.id,
                user_id=citizen.user_id,
                procedure_code="1.001612",
                at=t.queued_at,
                status="done",
                created_at=MONDAY,
                field_code="land",
            )
            s.add(a)
            s.flush()
            row = s.get(QueueTicket, t.id)
            row.appointment_id = a.id
    now = MONDAY + timedelta(minutes=30)
    rows = session.exec(select(QueueTicket)).all()
    for row in rows:
        session.refresh(row)
    shapes = [_shape(r) for r in rows]
    policy = rules.Policy()
    for row in rows:
        assert ahead_count(session, row, now) == rules.people_ahead(_shape(row), shapes, policy, now), row.number
    front = front_of_line(session, x01.id, MONDAY.date(), "land", now, 4)
    assert [ahead_count(session, r, now) for r in front] == [0, 1, 2, 3]
    assert front[0].appointment_id is not None  # the 08:20 appointment is due: first
