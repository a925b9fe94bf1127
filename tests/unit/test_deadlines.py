"""Tests of legal deadlines: durations, compute_due per unit, the supplement pause, warnings, step split."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.domain.calendar import CalendarOverrides, WorkingCalendar
from onestop.domain.deadlines import (
    ClockState,
    Duration,
    DurationUnit,
    compute_due,
    deadline_colour,
    is_due_soon,
    is_overdue,
    pause,
    remaining_working_seconds,
    resume,
    step_due_times,
    timeliness,
)

CAL = WorkingCalendar()
WD = DurationUnit.WORKING_DAYS
CD = DurationUnit.CALENDAR_DAYS
WH = DurationUnit.WORKING_HOURS
SD = DurationUnit.SAME_DAY


def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s)


# --------------------------------------------------------------------------- Duration


class TestDuration:
    @pytest.mark.parametrize(
        ("data", "duration"),
        [
            ({"value": 3, "unit": "working_days"}, Duration(3, WD)),
            ({"value": 10, "unit": "calendar_days"}, Duration(10, CD)),
            ({"value": 4, "unit": "working_hours"}, Duration(4, WH)),
            ({"value": 1.5, "unit": "working_hours"}, Duration(1.5, WH)),
            ({"value": 0, "unit": "same_day"}, Duration(0, SD)),
        ],
    )
    def test_dict_round_trip(self, data: dict, duration: Duration) -> None:
        assert Duration.from_dict(data) == duration
        assert duration.to_dict() == data
        assert Duration.from_dict(duration.to_dict()) == duration

    def test_from_dict_lenient_forms(self) -> None:
        assert Duration.from_dict({"unit": "same_day"}) == Duration(0, SD)
        assert Duration.from_dict({"value": 3.0, "unit": "working_days"}).to_dict() == {
            "value": 3,
            "unit": "working_days",
        }
        assert Duration(3, "working_days").unit is WD  # type: ignore[arg-type]
        assert Duration(1, SD).value == 0

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"value": 3},
            {"unit": "working_days"},
            {"value": 3, "unit": "weeks"},
            {"value": -1, "unit": "working_days"},
            {"value": 1.5, "unit": "working_days"},
            {"value": 2.5, "unit": "calendar_days"},
            {"value": "3", "unit": "working_days"},
            {"value": True, "unit": "working_days"},
            {"value": float("nan"), "unit": "working_hours"},
            "3 ngày",
        ],
    )
    def test_from_dict_rejects(self, data: object) -> None:
        with pytest.raises(ValueError):
            Duration.from_dict(data)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("duration", "vi", "en"),
        [
            (Duration(3, WD), "3 ngày làm việc", "3 working days"),
            (Duration(1, WD), "1 ngày làm việc", "1 working day"),
            (Duration(10, CD), "10 ngày", "10 calendar days"),
            (Duration(4, WH), "4 giờ làm việc", "4 working hours"),
            (Duration(1.5, WH), "1,5 giờ làm việc", "1.5 working hours"),
            (Duration(0, SD), "Trong ngày", "Same day"),
        ],
    )
    def test_labels(self, duration: Duration, vi: str, en: str) -> None:
        assert duration.label("vi") == vi
        assert duration.label() == vi
        assert duration.label("en") == en
        assert str(duration) == vi

    def test_unit_values(self) -> None:
        assert [u.value for u in DurationUnit] == ["working_days", "calendar_days", "working_hours", "same_day"]


# --------------------------------------------------------------------------- compute_due


class TestComputeDue:
    @pytest.mark.parametrize(
        ("received", "duration", "due"),
        [
            # working days (delegates to add_working_days)
            (dt(2025, 3, 10, 10), Duration(3, WD), dt(2025, 3, 13, 17)),
            (dt(2025, 3, 10, 17, 30), Duration(3, WD), dt(2025, 3, 14, 17)),  # after closing
            (dt(2025, 1, 24, 10), Duration(3, WD), dt(2025, 2, 5, 17)),  # across Tết 2025
            (dt(2025, 3, 10, 10), Duration(0, WD), dt(2025, 3, 10, 17)),
            # calendar days
            (dt(2025, 3, 3, 10), Duration(10, CD), dt(2025, 3, 13, 17)),
            (dt(2025, 3, 10, 10), Duration(5, CD), dt(2025, 3, 17, 17)),  # lands on Saturday → Monday
            (dt(2025, 3, 14, 18), Duration(10, CD), dt(2025, 3, 27, 17)),  # after closing Friday: counts from Monday
            (dt(2025, 3, 8, 9), Duration(1, CD), dt(2025, 3, 11, 17)),  # Saturday reception: Monday + 1
            (dt(2026, 2, 10, 10), Duration(7, CD), dt(2026, 2, 23, 17)),  # lands on Tết 2026 → first day after
            (dt(2025, 3, 10, 10), Duration(0, CD), dt(2025, 3, 10, 17)),
            # working hours
            (dt(2025, 3, 10, 10), Duration(4, WH), dt(2025, 3, 10, 16)),
            (dt(2025, 3, 10, 18), Duration(4, WH), dt(2025, 3, 11, 11, 30)),
            (dt(2025, 1, 24, 16), Duration(4, WH), dt(2025, 2, 3, 10, 30)),
            # same day
            (dt(2025, 3, 10, 6), Duration(0, SD), dt(2025, 3, 10, 17)),  # before opening
            (dt(2025, 3, 10, 12), Duration(0, SD), dt(2025, 3, 10, 17)),  # lunch break
            (dt(2025, 3, 10, 14, 59, 59), Duration(0, SD), dt(2025, 3, 10, 17)),
            (dt(2025, 3, 10, 15), Duration(0, SD), dt(2025, 3, 11, 17)),  # at the cut-off
            (dt(2025, 3, 10, 17, 30), Duration(0, SD), dt(2025, 3, 11, 17)),  # after closing
            (dt(2025, 3, 14, 15, 30), Duration(0, SD), dt(2025, 3, 17, 17)),  # Friday afternoon → Monday
            (dt(2025, 3, 8, 9), Duration(0, SD), dt(2025, 3, 10, 17)),  # Saturday → Monday
            (dt(2025, 3, 8, 16), Duration(0, SD), dt(2025, 3, 10, 17)),  # Saturday after cut-off → still Monday
            (dt(2025, 1, 24, 16), Duration(0, SD), dt(2025, 2, 3, 17)),  # before Tết 2025
            (dt(2026, 2, 17, 9), Duration(0, SD), dt(2026, 2, 23, 17)),  # on Tết 2026
            (dt(2025, 4, 26, 10), Duration(0, SD), dt(2025, 4, 26, 17)),  # make-up Saturday
        ],
    )
    def test_concrete(self, received: datetime, duration: Duration, due: datetime) -> None:
        assert compute_due(received, duration, CAL) == due

    def test_custom_cutoff(self) -> None:
        assert compute_due(dt(2025, 3, 10, 15, 30), Duration(0, SD), CAL, time(16)) == dt(2025, 3, 10, 17)
        assert compute_due(dt(2025, 3, 10, 16), Duration(0, SD), CAL, time(16)) == dt(2025, 3, 11, 17)
        # a cut-off after closing is capped at closing: 17:30 is never "same day"
        assert compute_due(dt(2025, 3, 10, 17, 30), Duration(0, SD), CAL, time(18)) == dt(2025, 3, 11, 17)

    def test_overrides_apply(self) -> None:
        cal = WorkingCalendar(CalendarOverrides(days_off={date(2025, 3, 11)}, working_days={date(2025, 3, 15)}))
        assert compute_due(dt(2025, 3, 10, 16), Duration(0, SD), cal) == dt(2025, 3, 12, 17)
        assert compute_due(dt(2025, 3, 14, 10), Duration(1, WD), cal) == dt(2025, 3, 15, 17)
        assert compute_due(dt(2025, 3, 10, 10), Duration(1, CD), cal) == dt(2025, 3, 12, 17)


@settings(max_examples=200, deadline=None)
@given(
    received=st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 11, 30)),
    duration=st.one_of(
        st.builds(Duration, st.integers(0, 30), st.sampled_from([WD, CD])),
        st.builds(Duration, st.integers(0, 200).map(lambda q: q / 4), st.just(WH)),
        st.just(Duration(0, SD)),
    ),
)
def test_due_is_on_a_working_day_inside_office_hours(received: datetime, duration: Duration) -> None:
    due = compute_due(received, duration, CAL)
    assert due >= received
    assert CAL.is_working_day(due.date())
    assert CAL.is_open(due) or any(due.time() == end for _, end in CAL.office_hours.sessions)
    if duration.unit is not WH:
        assert due.time() == CAL.office_hours.closing


# --------------------------------------------------------------------------- pause / resume


class TestPauseResume:
    DURATION = Duration(5, WD)
    STATE = ClockState(received_at=dt(2025, 3, 10, 9), due_at=dt(2025, 3, 17, 17))

    def test_state_from_compute_due(self) -> None:
        assert compute_due(self.STATE.received_at, self.DURATION, CAL) == self.STATE.due_at
        assert not self.STATE.paused

    def test_pause(self) -> None:
        paused = pause(self.STATE, dt(2025, 3, 12, 10))
        assert paused.paused and paused.paused_at == dt(2025, 3, 12, 10)
        assert paused.due_at == self.STATE.due_at
        with pytest.raises(ValueError):
            pause(paused, dt(2025, 3, 12, 11))

    def test_restart_is_the_default(self) -> None:
        paused = pause(self.STATE, dt(2025, 3, 12, 10))
        resumed = resume(paused, dt(2025, 3, 14, 10), self.DURATION, CAL)
        assert resumed == ClockState(dt(2025, 3, 10, 9), dt(2025, 3, 21, 17), None)
        # supplement completed after closing: the duration restarts from the next working day
        late = resume(paused, dt(2025, 3, 14, 18), self.DURATION, CAL, "restart")
        assert late.due_at == dt(2025, 3, 24, 17)

    def test_extend(self) -> None:
        paused = pause(self.STATE, dt(2025, 3, 12, 10))
        # two working days paused (Wed 10:00 → Fri 10:00) = 15 office hours
        resumed = resume(paused, dt(2025, 3, 14, 10), self.DURATION, CAL, "extend")
        assert resumed.due_at == dt(2025, 3, 19, 17)
        assert resumed.paused_at is None and resumed.received_at == self.STATE.received_at
        # paused over a weekend only: nothing to add
        weekend = pause(self.STATE, dt(2025, 3, 15, 9))
        assert resume(weekend, dt(2025, 3, 16, 20), self.DURATION, CAL, "extend").due_at == self.STATE.due_at
        # half an hour
        short = pause(self.STATE, dt(2025, 3, 12, 11))
        assert resume(short, dt(2025, 3, 12, 14), self.DURATION, CAL, "extend").due_at == dt(2025, 3, 18, 8, 30)

    def test_errors(self) -> None:
        with pytest.raises(ValueError):
            resume(self.STATE, dt(2025, 3, 14, 10), self.DURATION, CAL)
        paused = pause(self.STATE, dt(2025, 3, 12, 10))
        with pytest.raises(ValueError):
            resume(paused, dt(2025, 3, 12, 9), self.DURATION, CAL)
        with pytest.raises(ValueError):
            resume(paused, dt(2025, 3, 13, 9), self.DURATION, CAL, "stretch")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    received=st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 6, 30)),
    n=st.integers(0, 20),
    pause_after=st.integers(0, 20 * 3600),
    paused_for=st.integers(0, 30 * 24 * 3600),
)
def test_extend_adds_exactly_the_paused_working_time(
    received: datetime, n: int, pause_after: int, paused_for: int
) -> None:
    received = received.replace(microsecond=0)
    duration = Duration(n, WD)
    state = ClockState(received, compute_due(received, duration, CAL))
    paused_at = CAL.add_working_seconds(received, pause_after)
    resumed_at = paused_at + timedelta(seconds=paused_for)
    new = resume(pause(state, paused_at), resumed_at, duration, CAL, "extend")
    paused_working = CAL.working_seconds_between(paused_at, resumed_at)
    assert CAL.working_seconds_between(state.due_at, new.due_at) == paused_working
    assert new.due_at >= state.due_at
    restarted = resume(pause(state, paused_at), resumed_at, duration, CAL, "restart")
    assert restarted.due_at == compute_due(resumed_at, duration, CAL)


# --------------------------------------------------------------------------- warnings


class TestWarnings:
    DUE = dt(2025, 3, 11, 17)  # Tuesday closing

    def test_overdue_is_strict(self) -> None:
        assert not is_overdue(dt(2025, 3, 11, 17), self.DUE)
        assert is_overdue(dt(2025, 3, 11, 17, 0, 1), self.DUE)
        assert not is_overdue(dt(2025, 3, 10, 9), self.DUE)

    def test_due_soon(self) -> None:
        now = dt(2025, 3, 10, 10)  # Monday: soon means due by Tuesday 17:00
        assert is_due_soon(now, dt(2025, 3, 10, 17), CAL)
        assert is_due_soon(now, dt(2025, 3, 11, 17), CAL)
        assert not is_due_soon(now, dt(2025, 3, 12, 17), CAL)
        assert is_due_soon(now, dt(2025, 3, 12, 17), CAL, within_working_days=2)
        assert not is_due_soon(dt(2025, 3, 12, 9), self.DUE, CAL)  # overdue is not "soon"
        # after closing the window starts from the next working day
        assert is_due_soon(dt(2025, 3, 10, 17, 30), dt(2025, 3, 12, 17), CAL)
        # Friday: the next working day is Monday
        assert is_due_soon(dt(2025, 3, 14, 10), dt(2025, 3, 17, 17), CAL)
        # before Tết 2026 the next working day is 23/2
        assert is_due_soon(dt(2026, 2, 13, 10), dt(2026, 2, 23, 17), CAL)

    def test_remaining_working_seconds(self) -> None:
        assert remaining_working_seconds(dt(2025, 3, 10, 16), self.DUE, CAL) == 3600 + 27000
        assert remaining_working_seconds(dt(2025, 3, 8, 10), self.DUE, CAL) == 2 * 27000
        assert remaining_working_seconds(dt(2025, 3, 12, 9), self.DUE, CAL) == -5400
        assert remaining_working_seconds(self.DUE, self.DUE, CAL) == 0

    @pytest.mark.parametrize(
        ("now", "due", "paused", "colour"),
        [
            (dt(2025, 3, 10, 10), dt(2025, 3, 14, 17), False, "green"),
            (dt(2025, 3, 10, 10), dt(2025, 3, 11, 17), False, "amber"),
            (dt(2025, 3, 10, 10), dt(2025, 3, 10, 17), False, "amber"),
            (dt(2025, 3, 12, 10), dt(2025, 3, 11, 17), False, "red"),
            (dt(2025, 3, 12, 10), dt(2025, 3, 11, 17), True, "grey"),
            (dt(2025, 3, 10, 10), dt(2025, 3, 14, 17), True, "grey"),
            (dt(2025, 3, 10, 10), None, False, "grey"),
        ],
    )
    def test_colours(self, now: datetime, due: datetime | None, paused: bool, colour: str) -> None:
        assert deadline_colour(now, due, CAL, paused) == colour

    def test_colour_window(self) -> None:
        assert deadline_colour(dt(2025, 3, 10, 10), dt(2025, 3, 13, 17), CAL, False, within_working_days=3) == "amber"

    @pytest.mark.parametrize(
        ("done", "result"),
        [
            (dt(2025, 3, 10, 16), "early"),
            (dt(2025, 3, 11, 8), "on_time"),
            (dt(2025, 3, 11, 17), "on_time"),
            (dt(2025, 3, 11, 17, 1), "late"),
        ],
    )
    def test_timeliness(self, done: datetime, result: str) -> None:
        assert timeliness(done, self.DUE) == result


# --------------------------------------------------------------------------- step split


class TestStepDueTimes:
    STEPS = [("appraisal", 3.0), ("approval", 1.0), ("signing", 1.0)]

    def test_whole_days(self) -> None:
        start, due = dt(2025, 3, 10, 7, 30), dt(2025, 3, 14, 17)  # 5 working days
        assert step_due_times(start, due, self.STEPS, CAL) == [
            ("appraisal", dt(2025, 3, 12, 17)),
            ("approval", dt(2025, 3, 13, 17)),
            ("signing", dt(2025, 3, 14, 17)),
        ]

    def test_within_a_day_across_lunch(self) -> None:
        start, due = dt(2025, 3, 10, 10), dt(2025, 3, 10, 17)  # 1.5 h + 3.5 h of office time
        assert step_due_times(start, due, [("a", 2), ("b", 2)], CAL) == [("a", dt(2025, 3, 10, 14, 30)), ("b", due)]
        assert step_due_times(start, due, [("a", 3), ("b", 7)], CAL) == [("a", dt(2025, 3, 10, 11, 30)), ("b", due)]

    def test_across_tet(self) -> None:
        start = dt(2026, 2, 12, 7, 30)
        due = CAL.add_working_days(start, 3)  # Thu 12/2 → Tue 24/2 17:00
        assert due == dt(2026, 2, 24, 17)
        # 4 working days of office time (12, 13, 23, 24 Feb) split 1:1 → end of Friday 13/2
        assert step_due_times(start, due, [("a", 1), ("b", 1)], CAL) == [("a", dt(2026, 2, 13, 17)), ("b", due)]

    def test_edge_cases(self) -> None:
        assert step_due_times(dt(2025, 3, 10, 8), dt(2025, 3, 11, 17), [], CAL) == []
        assert step_due_times(dt(2025, 3, 10, 8), dt(2025, 3, 11, 17), [("only", 1)], CAL) == [
            ("only", dt(2025, 3, 11, 17))
        ]
        # already late: every step is due at the dossier's due time
        late = step_due_times(dt(2025, 3, 12, 8), dt(2025, 3, 11, 17), self.STEPS, CAL)
        assert late == [(name, dt(2025, 3, 11, 17)) for name, _ in self.STEPS]
        # a zero-weight step is due as soon as the office opens
        assert step_due_times(dt(2025, 3, 10, 12), dt(2025, 3, 10, 17), [("check", 0), ("do", 1)], CAL)[0] == (
            "check",
            dt(2025, 3, 10, 13, 30),
        )
        for bad in ([("a", -1), ("b", 2)], [("a", 0), ("b", 0)], [("a", float("inf"))]):
            with pytest.raises(ValueError):
                step_due_times(dt(2025, 3, 10, 8), dt(2025, 3, 11, 17), bad, CAL)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 11, 30)),
    n=st.integers(0, 15),
    weights=st.lists(st.integers(0, 10), min_size=1, max_size=6).filter(lambda w: sum(w) > 0),
)
def test_step_split_properties(start: datetime, n: int, weights: list[int]) -> None:
    start = start.replace(microsecond=0)
    due = CAL.add_working_days(start, n)
    steps = [(f"s{i}", float(w)) for i, w in enumerate(weights)]
    result = step_due_times(start, due, steps, CAL)
    assert [name for name, _ in result] == [name for name, _ in steps]
    times = [t for _, t in result]
    assert times[-1] == due
    assert times == sorted(times)
    assert all(t <= due for t in times)
    total = CAL.working_seconds_between(start, due)
    cumulative = 0
    for (_, t), w in zip(result[:-1], weights[:-1], strict=True):
        cumulative += w
        assert CAL.working_seconds_between(start, t) == round(total * cumulative / sum(weights))
        assert CAL.is_working_day(t.date())
