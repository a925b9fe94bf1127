"""The appointments page's reads (read/appointments.py): choices, free slots, one's own bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

from onestop import clock
from onestop.db import transaction
from onestop.read import appointments as read
from onestop.services import appointments
from tests.integration.helpers import actor, center

MONDAY = datetime(2026, 3, 2, 8, 0)  # a working Monday


def test_booking_shows_in_slots_and_in_my_bookings(session):  # noqa: ANN001
    clock.set_now(MONDAY)
    x01 = center(session, "X01")
    citizen = actor(session, "citizen")
    at = MONDAY + timedelta(days=1, hours=1)  # Tuesday 09:00
    centers, procedures = read.booking_choices(session)
    assert str(x01.id) in {c.value for c in centers}
    assert "1.000894" in {p.value for p in procedures}
    before = next(s for s in read.slot_rows(session, x01.id, "1.000894", at.date()) if s.value == at.isoformat())
    assert before.time == "09:00"
    with transaction(session) as s:
        appointments.book(s, citizen, center_id=x01.id, procedure_code="1.000894", at=at)
    after = next(s for s in read.slot_rows(session, x01.id, "1.000894", at.date()) if s.value == at.isoformat())
    assert after.free == before.free - 1
    assert str(after.free) in after.free_text.vi and str(after.free) in after.free_text.en
    (mine,) = read.my_bookings(session, citizen.user_id or 0, clock.now())
    assert mine.when == "09:00 03/03/2026" and mine.center == x01.name and not mine.today
    assert mine.procedure.vi and mine.procedure.vi != "1.000894"  # named, not just coded
    assert read.my_bookings(session, citizen.user_id or 0, at)[0].today
