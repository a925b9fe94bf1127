"""The reception deadline: a dossier filed online, in the field or by a supporter waits for a one-stop officer
to receive it (or refuse it, or ask for a supplement) within a number of working hours.

Why: one online dossier waited from 04/11 without being flagged or counted; the processing clock starts only at
reception, so without this rule the wait before it is invisible to every on-time figure. The limit is a setting
(`ONESTOP_RECEPTION_DEADLINE_HOURS`, working hours on the working calendar); the same test serves the inbox flag,
the dashboard count and the alert job. Pure: the calendar is passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from onestop.domain.calendar import WorkingCalendar

#: Channels whose dossiers arrive without an officer present (status 1 until received).
RECEPTION_CHANNELS = ("online", "field", "assisted")


def reception_due(submitted_at: datetime, hours: float, cal: WorkingCalendar) -> datetime:
    """When the dossier must have been received: `hours` of office time after it was filed."""
    return cal.add_working_hours(submitted_at, hours)


def waited_seconds(submitted_at: datetime, now: datetime, cal: WorkingCalendar) -> int:
    """Office-hour seconds the dossier has waited for reception."""
    return max(0, cal.working_seconds_between(submitted_at, now))


def is_reception_overdue(submitted_at: datetime, now: datetime, hours: float, cal: WorkingCalendar) -> bool:
    return waited_seconds(submitted_at, now, cal) > hours * 3600


def overdue_cutoff(now: datetime, hours: float, cal: WorkingCalendar) -> datetime:
    """The latest filing moment that is already overdue at `now`, so a query can say `submitted_at <= cutoff`.

    Waiting time shrinks as the filing moment moves later (monotone), so a binary search to the second
    finds the boundary; the lower bound leaves room for Tết and long weekends.
    """
    limit = int(hours * 3600)
    low = now - timedelta(days=int(hours) * 3 + 40)  # surely overdue (unless hours is huge)
    if cal.working_seconds_between(low, now) <= limit:
        return low
    high = now  # waited 0: not overdue
    while (high - low) > timedelta(seconds=1):
        mid = low + (high - low) / 2
        mid = mid.replace(microsecond=0)
        if mid <= low:
            break
        if cal.working_seconds_between(mid, now) > limit:
            low = mid
        else:
            high = mid
    return low
