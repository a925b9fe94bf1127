"""Forecast per center on the database: history by receiving center, counters, overload, days off at zero."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import func, select

from onestop import clock
from onestop.domain.lifecycle import Status
from onestop.models import Counter
from onestop.read import forecast as fc
from onestop.read.dashboard_tables import forecast_table
from onestop.services.calendar import load_calendar
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import actor, center

NOW = datetime(2026, 8, 24, 7, 0)  # a Monday morning; no holiday in the 12 weeks before


def test_busy_center_is_flagged_overloaded(session, monkeypatch) -> None:
    clock.set_now(NOW)
    monkeypatch.setattr(fc, "COUNTER_DAILY_CAPACITY", 5)  # a small center: few rows to insert
    x01 = center(session, "X01")
    counters = int(session.exec(select(func.count()).select_from(Counter).where(Counter.center_id == x01.id)).one())
    per_day = counters * fc.COUNTER_DAILY_CAPACITY + 5 if counters else 3
    for k in range(1, 7 * 12 + 1):
        day = NOW.date() - timedelta(days=k)
        if day.weekday() == 0:  # Mondays only: a strong weekday pattern
            for _ in range(per_day):
                make_dossier(
                    session, status=Status.SUBMITTED, submitted_at=datetime.combine(day, time(9)), commit=False
                )
    session.commit()
    rows = fc.center_forecasts(session, actor(session, "leader"), NOW.date())
    assert {r.center_id for r in rows} == {x01.id}  # a leader sees their own center only
    by_day = {r.day: r for r in rows}
    monday = by_day[NOW.date()]
    # level = 4 Mondays × per_day ÷ 20 working days; Monday's factor ≈ per_day ÷ (12 × per_day ÷ 60) = 5
    # (≈: the calendar's make-up Saturday 22/08/2026 adds a working day to the 12-week window)
    assert abs(monday.expected - per_day) <= 0.05 * per_day and by_day[NOW.date() + timedelta(days=1)].expected == 0
    assert by_day[NOW.date() + timedelta(days=6)].capacity == 0  # Sunday
    assert monday.overloaded == (counters > 0)
    table = forecast_table(session, actor(session, "leader"), NOW)
    assert table.rows[0][1] == ("T2 24/08", "Mon 24/08")
    cal = load_calendar(session)  # 31/08 (swap for Saturday 22/08), 1/9 and 2/9 are days off in 2026
    assert len(table.rows) == sum(cal.is_working_day(NOW.date() + timedelta(days=k)) for k in range(14)) == 7
