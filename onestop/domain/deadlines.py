"""Legal deadlines: durations, due dates, the supplement pause, warnings and per-step due times.

Why this module exists: a procedure's legal duration ("3 ngày làm việc", "Trong
ngày", "10 ngày") is turned into a due moment printed on the receipt and
appointment slip, watched by reminders, and judged on-time when the result is
ready. The rules must be identical on every channel, so they live here, pure,
on top of :class:`~onestop.domain.calendar.WorkingCalendar`.

All datetimes are naive Vietnam local wall-clock time (see calendar.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, Literal

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.lifecycle import CLOCK_RUNNING, TERMINAL, Status

Colour = Literal["green", "amber", "red", "grey"]
ResumeMode = Literal["restart", "extend"]
Timeliness = Literal["early", "on_time", "late"]

#: Default "same day" cut-off: received before 15:00 → due 17:00 that day.
SAME_DAY_CUTOFF = time(15, 0)


class DurationUnit(StrEnum):
    """How a procedure's legal duration is counted (stored as the string value)."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


_DAY_UNITS = frozenset({DurationUnit.WORKING_DAYS, DurationUnit.CALENDAR_DAYS})

_LABELS: dict[DurationUnit, dict[str, tuple[str, str]]] = {
    # unit → lang → (singular, plural) with {n} placeholder
    DurationUnit.WORKING_DAYS: {
        "vi": ("{n} ngày làm việc", "{n} ngày làm việc"),
        "en": ("{n} working day", "{n} working days"),
    },
    DurationUnit.CALENDAR_DAYS: {
        "vi": ("{n} ngày", "{n} ngày"),
        "en": ("{n} calendar day", "{n} calendar days"),
    },
    DurationUnit.WORKING_HOURS: {
        "vi": ("{n} giờ làm việc", "{n} giờ làm việc"),
        "en": ("{n} working hour", "{n} working hours"),
    },
}
_SAME_DAY_LABEL = {"vi": "Trong ngày", "en": "Same day"}


def _format_number(value: float, lang: str) -> str:
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "vi" else text


@dataclass(frozen=True)
class Duration:
    """A legal duration as stored on a procedure: value + unit.

    Why validated: a bad duration would silently print a wrong date on a legal
    document. Day units take whole numbers (half days are written as hours in
    procedure texts); hours may be fractional; "same day" has no value (kept as 0).
    """

    value: float
    unit: DurationUnit

    def __post_init__(self) -> None:
        try:
            unit = DurationUnit(self.unit)
        except ValueError as exc:
            raise ValueError(f"unknown duration unit {self.unit!r}") from exc
        object.__setattr__(self, "unit", unit)
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise ValueError(f"duration value must be a number, got {self.value!r}")
        value = self.value
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"duration value must be a finite number >= 0, got {value!r}")
        if unit is DurationUnit.SAME_DAY:
            value = 0
        elif unit in _DAY_UNITS:
            if not float(value).is_integer():
                raise ValueError(f"{unit.value} need a whole number, got {value!r}")
            value = int(value)
        object.__setattr__(self, "value", value)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Duration:
        """Build from the stored form ``{"value": 3, "unit": "working_days"}`` (value optional for same_day)."""
        if not isinstance(data, Mapping) or "unit" not in data:
            raise ValueError(f"a duration needs a unit: {data!r}")
        unit = data["unit"]
        value = data.get("value")
        if value is None and unit == DurationUnit.SAME_DAY:
            value = 0
        if value is None:
            raise ValueError(f"a duration needs a value: {data!r}")
        return cls(value, unit)

    def to_dict(self) -> dict[str, Any]:
        """The stored/JSON form; whole values are written as ints."""
        value: float = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit.value}

    def label(self, lang: str = "vi") -> str:
        """Human label: "3 ngày làm việc" / "3 working days", "Trong ngày" / "Same day", "1,5 giờ làm việc"."""
        lang = "en" if lang == "en" else "vi"
        if self.unit is DurationUnit.SAME_DAY:
            return _SAME_DAY_LABEL[lang]
        singular, plural = _LABELS[self.unit][lang]
        template = singular if self.value == 1 else plural
        return template.format(n=_format_number(self.value, lang))

    def __str__(self) -> str:
        return self.label("vi")


def compute_due(
    received_at: datetime,
    duration: Duration,
    cal: WorkingCalendar,
    same_day_cutoff: time = SAME_DAY_CUTOFF,
) -> datetime:
    """The due moment of `duration` for a dossier received at `received_at`.

    - working days: :meth:`WorkingCalendar.add_working_days` (closing time of the
      n-th working day after the reception day).
    - calendar days: closing time of (reception day + N calendar days); if that
      date is not a working day, the closing time of the next working day. The
      reception day is the same as for working days (after closing or on a day
      off → the next working day), because a dossier received after closing
      counts from the next working day whatever the unit.
    - working hours: :meth:`WorkingCalendar.add_working_hours` from the
      reception moment (or the next opening).
    - same day: received on a working day before `same_day_cutoff` (15:00 by
      default; before opening counts too) → closing time that day; at/after the
      cut-off → closing time of the next working day; on a day off → closing time
      of the first working day after it. A cut-off later than closing time is
      treated as closing time.
    """
    unit = duration.unit
    if unit is DurationUnit.WORKING_DAYS:
        return cal.add_working_days(received_at, int(duration.value))
    if unit is DurationUnit.WORKING_HOURS:
        return cal.add_working_hours(received_at, float(duration.value))
    if unit is DurationUnit.CALENDAR_DAYS:
        target = cal.reception_day(received_at) + timedelta(days=int(duration.value))
        if not cal.is_working_day(target):
            target = cal.next_working_day(target)
        return cal.closing_of(target)
    # SAME_DAY
    day = received_at.date()
    cutoff = min(same_day_cutoff, cal.office_hours.closing)
    if cal.is_working_day(day) and received_at.time() < cutoff:
        return cal.closing_of(day)
    return cal.closing_of(cal.next_working_day(day))


# --------------------------------------------------------------------------- the supplement pause


@dataclass(frozen=True)
class ClockState:
    """The legal clock of one dossier: when it was received, when it is due, and whether it is paused.

    Why: a supplement request (status 5) pauses the clock; when the citizen
    completes the dossier the clock resumes, by default restarting the duration
    from zero (configurable: extend the old due date by the paused time).
    """

    received_at: datetime
    due_at: datetime
    paused_at: datetime | None = None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None


def pause(state: ClockState, at: datetime) -> ClockState:
    """Pause the clock at `at` (supplement requested); ValueError if already paused."""
    if state.paused_at is not None:
        raise ValueError("the clock is already paused")
    return replace(state, paused_at=at)


def resume(
    state: ClockState,
    at: datetime,
    duration: Duration,
    cal: WorkingCalendar,
    mode: ResumeMode = "restart",
    same_day_cutoff: time = SAME_DAY_CUTOFF,
) -> ClockState:
    """Resume a paused clock at `at` (supplement complete) and return the new state.

    - "restart" (the legal default): the whole duration runs again from `at`,
      i.e. ``compute_due(at, duration)`` — so a supplement completed after
      closing counts from the next working day.
    - "extend": the old due moment moves later by the office-hour seconds
      elapsed during the pause (``add_working_seconds(old_due, paused)``).

    `received_at` is kept (it is the dossier's reception). ValueError if the
    clock is not paused or `at` is before the pause.
    """
    if state.paused_at is None:
        raise ValueError("the clock is not paused")
    if at < state.paused_at:
        raise ValueError("cannot resume before the pause started")
    if mode == "restart":
        due = compute_due(at, duration, cal, same_day_cutoff)
    elif mode == "extend":
        paused_seconds = cal.working_seconds_between(state.paused_at, at)
        due = cal.add_working_seconds(state.due_at, paused_seconds) if paused_seconds else state.due_at
    else:
        raise ValueError(f"unknown resume mode {mode!r}")
    return ClockState(received_at=state.received_at, due_at=due, paused_at=None)


def remaining_working_seconds(now: datetime, due: datetime, cal: WorkingCalendar) -> int:
    """Office-hour seconds left until `due` (negative once overdue: the working time late)."""
    return cal.working_seconds_between(now, due)


# --------------------------------------------------------------------------- warnings


def is_overdue(now: datetime, due: datetime) -> bool:
    """Overdue is derived, never stored: strictly after the due moment (17:00:00 sharp is still on time)."""
    return now > due


def is_due_soon(now: datetime, due: datetime, cal: WorkingCalendar, within_working_days: int = 1) -> bool:
    """Not overdue and due no later than ``cal.add_working_days(now, within_working_days)``.

    Why: reminders and the apology letter must go out before a dossier goes
    overdue; with the default 1 this means "due by the end of the next working
    day" (counted from now's reception day, as for any duration).
    """
    return not is_overdue(now, due) and due <= cal.add_working_days(now, within_working_days)


def deadline_colour(
    now: datetime,
    due: datetime | None,
    cal: WorkingCalendar,
    paused: bool,
    within_working_days: int = 1,
) -> Colour:
    """Traffic light for lists and dashboards: grey paused (or no clock), red overdue, amber due soon, else green."""
    if paused or due is None:
        return "grey"
    if is_overdue(now, due):
        return "red"
    if is_due_soon(now, due, cal, within_working_days):
        return "amber"
    return "green"


# --------------------------------------------------------------------------- one rule for "late" and "most urgent first"

#: Urgency ranks of a dossier, most urgent first. Every officer list sorts by (rank, due, id), the overdue
#: tab and banner count rank LATE, and the row colour is red exactly for rank LATE: one rule, so a dossier whose
#: clock has stopped (result ready, paused) can never sort among the late ones (issue 12).
URGENCY_LATE = 0
URGENCY_RUNNING = 1
URGENCY_WAITING = 2


def clock_is_running(status: int, paused: bool) -> bool:
    """The legal clock runs in statuses 2 and 4 unless a pause is recorded on the dossier."""
    return int(status) in {int(s) for s in CLOCK_RUNNING} and not paused


def is_late(now: datetime, status: int, due: datetime | None, paused: bool) -> bool:
    """Late (overdue): the clock is running and `now` is strictly after the due moment."""
    return due is not None and clock_is_running(status, paused) and is_overdue(now, due)


def urgency(now: datetime, status: int, due: datetime | None, paused: bool) -> int:
    """0 late, 1 clock running and not yet late, 2 waiting (no clock: paused, result ready, not received)."""
    if is_late(now, status, due, paused):
        return URGENCY_LATE
    if due is not None and clock_is_running(status, paused):
        return URGENCY_RUNNING
    return URGENCY_WAITING


def row_colour(
    now: datetime,
    status: int,
    due: datetime | None,
    paused: bool,
    cal: WorkingCalendar,
    within_working_days: int = 1,
) -> Colour | Literal[""]:
    """The colour a list shows: "" once the clock no longer matters (result ready, ended) or before it starts,
    grey while paused, else :func:`deadline_colour` — red if and only if :func:`is_late`."""
    if due is None or int(status) == int(Status.RESULT_READY) or int(status) in {int(s) for s in TERMINAL}:
        return ""
    return deadline_colour(now, due, cal, not clock_is_running(status, paused), within_working_days)


def display_colour(
    now: datetime, due: datetime | None, cal: WorkingCalendar, status: int, paused_at: datetime | None = None
) -> Colour | Literal[""]:
    """The one deadline-display rule every list and page uses (citizen, officer, support): :func:`row_colour`."""
    return row_colour(now, status, due, paused_at is not None, cal)


def timeliness(done_at: datetime, due: datetime) -> Timeliness:
    """Early / on time / late, as recorded on each hand-over and judged at status 9.

    Late: after the due moment. Early: finished on a date before the due date.
    On time: on the due date, by the due moment.
    """
    if done_at > due:
        return "late"
    if done_at.date() < due.date():
        return "early"
    return "on_time"


# --------------------------------------------------------------------------- per-step due times


def step_due_times(
    start: datetime,
    due: datetime,
    steps: Sequence[tuple[str, float]],
    cal: WorkingCalendar,
) -> list[tuple[str, datetime]]:
    """Split the working time between `start` and `due` among `steps` in proportion to their weights.

    Why: each hand-over (appraise → approve → sign → issue) gets its own due
    time on the process control sheet, so a late step is visible before the
    dossier as a whole is late. Step i ends after the cumulative share of the
    office-hour seconds in [start, due) (rounded to the second, cumulative so
    rounding never drifts); the last step ends exactly at `due`. Weights must be
    >= 0 with a positive sum. If no working time is left (start >= due), every
    step is due at `due`.
    """
    if not steps:
        return []
    weights = [float(w) for _, w in steps]
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError("step weights must be finite and >= 0")
    total_weight = sum(weights)
    if total_weight <= 0:
        raise ValueError("step weights must have a positive sum")
    total_seconds = cal.working_seconds_between(start, due)
    result: list[tuple[str, datetime]] = []
    cumulative = 0.0
    for index, (name, _) in enumerate(steps):
        cumulative += weights[index]
        if index == len(steps) - 1 or total_seconds <= 0:
            result.append((name, due))
            continue
        seconds = round(total_seconds * cumulative / total_weight)
        result.append((name, min(cal.add_working_seconds(start, seconds), due)))
    return result
