"""What the queue pages show: the ticket (people ahead, wait from today's pace), the display, the panel, figures."""

from __future__ import annotations

from datetime import timedelta

from onestop import clock
from onestop.db import transaction
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
    view = read.ticket_view(session, session.get(type(last), tickets[2].id), now=t)
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
