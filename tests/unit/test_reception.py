"""The reception deadline counts office hours on the working calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.reception import is_reception_overdue, overdue_cutoff, reception_due, waited_seconds

CAL = WorkingCalendar()


def test_friday_evening_filing_is_due_monday_afternoon() -> None:
    friday = datetime(2026, 11, 20, 19, 30)  # after closing: counting starts Monday 07:30
    # Monday gives 7.5 office hours; Tuesday 24/11 is Vietnamese Culture Day; 0.5 h more on Wednesday.
    assert reception_due(friday, 8, CAL) == datetime(2026, 11, 25, 8, 0)
    assert not is_reception_overdue(friday, datetime(2026, 11, 24, 16, 0), 8, CAL)
    assert not is_reception_overdue(friday, datetime(2026, 11, 25, 8, 0), 8, CAL)
    assert is_reception_overdue(friday, datetime(2026, 11, 25, 8, 1), 8, CAL)


def test_waited_counts_only_office_time() -> None:
    assert waited_seconds(datetime(2026, 11, 23, 11, 0), datetime(2026, 11, 23, 14, 0), CAL) == 3600  # 30 + 30 min
    assert waited_seconds(datetime(2026, 11, 23, 14, 0), datetime(2026, 11, 23, 11, 0), CAL) == 0


@settings(max_examples=60, deadline=None)
@given(minutes=st.integers(0, 60 * 24 * 30), hours=st.sampled_from([2, 4, 8, 16]))
def test_cutoff_agrees_with_the_rule(minutes: int, hours: int) -> None:
    now = datetime(2026, 12, 10, 10, 0)
    cutoff = overdue_cutoff(now, hours, CAL)
    filed = now - timedelta(minutes=minutes)
    if filed <= cutoff:
        assert is_reception_overdue(filed, now, hours, CAL)
    else:
        assert not is_reception_overdue(filed, now, hours, CAL)
