"""One rule for "late" and "most urgent first" (issue 12): the colour, the rank and the overdue test agree.

Why: a result-ready dossier whose old due date has passed sorted among the overdue ones at 23:40 because the
inbox ordered by due date alone while the colour knew the clock had stopped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import (
    URGENCY_LATE,
    URGENCY_RUNNING,
    URGENCY_WAITING,
    clock_is_running,
    is_late,
    row_colour,
    urgency,
)
from onestop.domain.lifecycle import Status

CAL = WorkingCalendar()
NOW = datetime(2026, 11, 27, 23, 40)  # a Friday night, the moment the old rule failed
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))
statuses = st.sampled_from([int(s) for s in Status])


def test_result_ready_with_a_passed_due_date_is_not_late_and_waits_behind_running_ones() -> None:
    due = NOW - timedelta(days=3)
    assert not is_late(NOW, Status.RESULT_READY, due, paused=False)
    assert urgency(NOW, Status.RESULT_READY, due, paused=False) == URGENCY_WAITING
    assert row_colour(NOW, Status.RESULT_READY, due, False, CAL) == ""
    assert urgency(NOW, Status.PROCESSING, NOW + timedelta(days=30), paused=False) == URGENCY_RUNNING
    assert urgency(NOW, Status.PROCESSING, due, paused=False) == URGENCY_LATE


def test_the_due_moment_itself_is_on_time_and_one_second_later_is_late() -> None:
    due = datetime(2026, 11, 27, 17, 0)
    assert not is_late(due, Status.RECEIVED, due, False)
    assert is_late(due + timedelta(seconds=1), Status.RECEIVED, due, False)
    assert row_colour(due + timedelta(seconds=1), Status.RECEIVED, due, False, CAL) == "red"


def test_a_recorded_pause_stops_the_clock_even_in_a_running_status() -> None:
    due = NOW - timedelta(hours=1)
    assert not clock_is_running(Status.PROCESSING, paused=True)
    assert urgency(NOW, Status.PROCESSING, due, paused=True) == URGENCY_WAITING
    assert row_colour(NOW, Status.PROCESSING, due, True, CAL) == "grey"
    assert row_colour(NOW, Status.SUPPLEMENT, due, False, CAL) == "grey"


def test_no_due_date_yet_is_never_late() -> None:
    assert urgency(NOW, Status.SUBMITTED, None, False) == URGENCY_WAITING
    assert row_colour(NOW, Status.RECEIVED, None, False, CAL) == ""


@given(now=moments, due=st.one_of(st.none(), moments), status=statuses, paused=st.booleans())
def test_red_exactly_when_late_and_late_exactly_when_ranked_first(now, due, status, paused) -> None:
    late = is_late(now, status, due, paused)
    assert (row_colour(now, status, due, paused, CAL) == "red") == late
    assert (urgency(now, status, due, paused) == URGENCY_LATE) == late
    if late:
        assert status in (Status.RECEIVED, Status.PROCESSING) and due is not None and now > due and not paused


@given(now=moments, rows=st.lists(st.tuples(st.one_of(st.none(), moments), statuses, st.booleans()), max_size=30))
def test_sorting_by_urgency_puts_every_late_dossier_before_every_other(now, rows) -> None:
    ordered = sorted(rows, key=lambda r: (urgency(now, r[1], r[0], r[2]), r[0] or datetime.max))
    flags = [is_late(now, status, due, paused) for due, status, paused in ordered]
    n = sum(flags)
    assert flags == [True] * n + [False] * (len(flags) - n)
