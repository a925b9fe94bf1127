"""Tests of the working calendar: package holidays, overrides, office hours and working-time arithmetic.

Expected dates are checked against the `holidays` package (0.109) and the
official announcements: Tết 2025 = 27–31 Jan (Mon–Fri, Sat 25/1–Sun 2/2 off),
Tết 2026 = 16–20 Feb (Tết day Tue 17/2/2026), Tết 2027 = Thu 4–Wed 10 Feb
(package estimate), swap Fri 2/5/2025 ↔ make-up Sat 26/4/2025.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestop.domain.calendar import CalendarOverrides, OfficeHours, WorkingCalendar, to_local_naive

CAL = WorkingCalendar()

# An administrator's announcement for early 2027: Saturday 30/01/2027 is a
# make-up working day in exchange for Wednesday 03/02/2027 (swapped day off),
# plus a local day off with a label.
OVERRIDES = CalendarOverrides(
    days_off=frozenset({date(2027, 2, 3), date(2025, 3, 14)}),
    working_days=frozenset({date(2027, 1, 30)}),
    names={date(2027, 2, 3): "Nghỉ bù Tết 2027 (đổi cho thứ Bảy 30/01)"},
)
OCAL = WorkingCalendar(OVERRIDES)


def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi)


# --------------------------------------------------------------------------- office hours


class TestOfficeHours:
    def test_defaults(self) -> None:
        oh = OfficeHours()
        assert oh.opening == time(7, 30)
        assert oh.closing == time(17, 0)
        assert oh.seconds_per_day == int(7.5 * 3600)
        assert oh.format() == "07:30-11:30,13:30-17:00"

    def test_parse_round_trip(self) -> None:
        assert OfficeHours.parse("07:30-11:30,13:30-17:00") == OfficeHours()
        oh = OfficeHours.parse(" 8:00 - 12:00 , 13:00-16:30 ")
        assert oh.sessions == ((time(8), time(12)), (time(13), time(16, 30)))
        assert OfficeHours.parse(oh.format()) == oh
        assert OfficeHours.parse("08:00-17:00").closing == time(17)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   ",
            "07:30",
            "07:30-",
            "7h30-11h30",
            "11:30-07:30",
            "07:30-11:30,11:00-17:00",
            "13:30-17:00,07:30-11:30",
            "25:00-26:00",
            "07:30-11:60",
            "07:30-07:30",
            "07:30-11:30;13:30-17:00",
        ],
    )
    def test_parse_rejects_bad_text(self, text: str) -> None:
        with pytest.raises(ValueError):
            OfficeHours.parse(text)

    def test_constructor_validates(self) -> None:
        with pytest.raises(ValueError):
            OfficeHours(())
        with pytest.raises(ValueError):
            OfficeHours(((time(12), time(8)),))


# --------------------------------------------------------------------------- what the package gives


class TestPackageHolidays:
    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (
                2025,
                [
                    "2025-01-01",
                    "2025-01-27",
                    "2025-01-28",
                    "2025-01-29",
                    "2025-01-30",
                    "2025-01-31",
                    "2025-04-07",
                    "2025-04-30",
                    "2025-05-01",
                    "2025-05-02",
                    "2025-09-01",
                    "2025-09-02",
                ],
            ),
            (
                2026,
                [
                    "2026-01-01",
                    "2026-02-16",
                    "2026-02-17",
                    "2026-02-18",
                    "2026-02-19",
                    "2026-02-20",
                    "2026-04-27",
                    "2026-04-30",
                    "2026-05-01",
                    "2026-08-31",
                    "2026-09-01",
                    "2026-09-02",
                    "2026-11-24",
                ],
            ),
            (
                2027,
                [
                    "2027-01-01",
                    "2027-02-04",
                    "2027-02-05",
                    "2027-02-08",
                    "2027-02-09",
                    "2027-02-10",
                    "2027-04-16",
                    "2027-04-30",
                    "2027-05-03",
                    "2027-09-02",
                    "2027-09-03",
                    "2027-11-24",
                ],
            ),
            (
                2028,  # New Year on a Saturday → Monday; Tết 24–28/1; 30/4 a Sunday → Tuesday 2/5; 2/9 a Saturday
                [
                    "2028-01-03",
                    "2028-01-24",
                    "2028-01-25",
                    "2028-01-26",
                    "2028-01-27",
                    "2028-01-28",
                    "2028-04-04",
                    "2028-05-01",
                    "2028-05-02",
                    "2028-09-01",
                    "2028-09-04",
                    "2028-11-24",
                ],
            ),
        ],
    )
    def test_weekday_days_off(self, year: int, expected: list[str]) -> None:
        assert [d.isoformat() for d, _ in CAL.days_off_in_year(year)] == expected

    def test_names_are_vietnamese_by_default(self) -> None:
        names = dict(CAL.days_off_in_year(2026))
        assert names[date(2026, 2, 17)] == "Tết Nguyên Đán"
        assert names[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
        assert "Hùng Vương" in names[date(2026, 4, 27)]
        en = dict(WorkingCalendar(language="en").days_off_in_year(2026))
        assert en[date(2026, 2, 17)] == "Lunar New Year"

    def test_culture_day_only_from_2026(self) -> None:
        assert CAL.is_working_day(date(2025, 11, 24))  # Monday, not yet a holiday
        assert not CAL.is_working_day(date(2026, 11, 24))
        assert not CAL.is_working_day(date(2027, 11, 24))
        assert CAL.is_public_holiday(date(2028, 11, 24))

    def test_package_make_up_saturdays(self) -> None:
        assert CAL.make_up_days_in_year(2025) == [date(2025, 4, 26)]
        assert CAL.make_up_days_in_year(2026) == [date(2026, 8, 22)]
        assert CAL.make_up_days_in_year(2027) == []
        assert CAL.is_working_day(date(2025, 4, 26))  # Saturday worked for Friday 2/5
        assert not CAL.is_working_day(date(2025, 5, 2))

    def test_weekends_off_holiday_on_saturday_not_listed(self) -> None:
        assert not CAL.is_working_day(date(2025, 3, 8))
        assert not CAL.is_working_day(date(2025, 3, 9))
        assert CAL.is_working_day(date(2025, 3, 10))
        assert date(2027, 5, 1) not in dict(CAL.days_off_in_year(2027))  # Saturday; observed Monday 3/5 is listed
        assert date(2027, 5, 3) in dict(CAL.days_off_in_year(2027))


# --------------------------------------------------------------------------- overrides


class TestOverrides:
    def test_make_up_saturday_and_swapped_day(self) -> None:
        assert not CAL.is_working_day(date(2027, 1, 30))
        assert OCAL.is_working_day(date(2027, 1, 30))
        assert CAL.is_working_day(date(2027, 2, 3))
        assert not OCAL.is_working_day(date(2027, 2, 3))
        assert OCAL.make_up_days_in_year(2027) == [date(2027, 1, 30)]
        names = dict(OCAL.days_off_in_year(2027))
        assert names[date(2027, 2, 3)] == "Nghỉ bù Tết 2027 (đổi cho thứ Bảy 30/01)"
        assert dict(OCAL.days_off_in_year(2025))[date(2025, 3, 14)] == "Ngày nghỉ"

    def test_working_day_overrides_holiday_and_day_off(self) -> None:
        cal = WorkingCalendar(
            CalendarOverrides(days_off={date(2026, 9, 1)}, working_days={date(2026, 9, 1), date(2026, 9, 2)})
        )
        assert cal.is_working_day(date(2026, 9, 1))
        assert cal.is_working_day(date(2026, 9, 2))
        assert date(2026, 9, 2) in cal.make_up_days_in_year(2026)

    def test_override_can_cancel_package_make_up_day(self) -> None:
        cal = WorkingCalendar(CalendarOverrides(days_off={date(2025, 4, 26)}))
        assert not cal.is_working_day(date(2025, 4, 26))
        assert cal.make_up_days_in_year(2025) == []

    def test_overrides_are_frozen_and_comparable(self) -> None:
        a = CalendarOverrides(days_off=[date(2025, 1, 2)], names={date(2025, 1, 2): "x"})
        b = CalendarOverrides(days_off=frozenset({date(2025, 1, 2)}), names={date(2025, 1, 2): "x"})
        assert a == b and hash(a) == hash(b)
        assert isinstance(a.days_off, frozenset)
        with pytest.raises(TypeError):
            a.names[date(2025, 1, 3)] = "y"  # type: ignore[index]
        with pytest.raises(ValueError):
            CalendarOverrides(days_off={datetime(2025, 1, 2, 8)})


# --------------------------------------------------------------------------- hours


class TestOpenAndNextOpening:
    @pytest.mark.parametrize(
        ("moment", "open_"),
        [
            (dt(2025, 3, 10, 7, 29), False),
            (dt(2025, 3, 10, 7, 30), True),
            (dt(2025, 3, 10, 11, 29), True),
            (dt(2025, 3, 10, 11, 30), False),
            (dt(2025, 3, 10, 13, 30), True),
            (dt(2025, 3, 10, 16, 59), True),
            (dt(2025, 3, 10, 17, 0), False),
            (dt(2025, 3, 8, 9, 0), False),  # Saturday
            (dt(2025, 4, 26, 9, 0), True),  # make-up Saturday
            (dt(2026, 2, 17, 9, 0), False),  # Tết 2026
        ],
    )
    def test_is_open(self, moment: datetime, open_: bool) -> None:
        assert CAL.is_open(moment) is open_

    @pytest.mark.parametrize(
        ("moment", "expected"),
        [
            (dt(2025, 3, 10, 6, 0), dt(2025, 3, 10, 7, 30)),
            (dt(2025, 3, 10, 9, 15), dt(2025, 3, 10, 9, 15)),
            (dt(2025, 3, 10, 12, 0), dt(2025, 3, 10, 13, 30)),
            (dt(2025, 3, 10, 17, 0), dt(2025, 3, 11, 7, 30)),
            (dt(2025, 3, 14, 18, 0), dt(2025, 3, 17, 7, 30)),  # Friday evening → Monday
            (dt(2025, 1, 24, 17, 30), dt(2025, 2, 3, 7, 30)),  # before Tết 2025 → after it
            (dt(2026, 2, 13, 17, 0), dt(2026, 2, 23, 7, 30)),  # before Tết 2026 → after it
        ],
    )
    def test_next_opening(self, moment: datetime, expected: datetime) -> None:
        assert CAL.next_opening(moment) == expected

    def test_next_working_day(self) -> None:
        assert CAL.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)
        assert CAL.next_working_day(date(2025, 3, 10)) == date(2025, 3, 11)
        assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
        assert CAL.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)
        assert CAL.previous_working_day(date(2026, 2, 23)) == date(2026, 2, 13)
        assert CAL.next_working_day(date(2025, 4, 25)) == date(2025, 4, 26)

    def test_aware_datetimes_refused_and_converted(self) -> None:
        aware = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
        with pytest.raises(ValueError):
            CAL.is_open(aware)
        assert to_local_naive(aware) == dt(2025, 3, 10, 9, 0)
        assert CAL.is_open(to_local_naive(aware))


# --------------------------------------------------------------------------- add_working_days


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("received", "n", "due"),
        [
            # ordinary week
            (dt(2025, 3, 10, 10, 0), 3, dt(2025, 3, 13, 17, 0)),
            (dt(2025, 3, 10, 10, 0), 0, dt(2025, 3, 10, 17, 0)),
            (dt(2025, 3, 10, 6, 0), 1, dt(2025, 3, 11, 17, 0)),  # before opening: same reception day
            (dt(2025, 3, 10, 12, 0), 1, dt(2025, 3, 11, 17, 0)),  # lunch break: same reception day
            (dt(2025, 3, 10, 16, 59), 1, dt(2025, 3, 11, 17, 0)),
            (dt(2025, 3, 10, 17, 0), 1, dt(2025, 3, 12, 17, 0)),  # at closing → next day is the reception day
            (dt(2025, 3, 10, 17, 30), 3, dt(2025, 3, 14, 17, 0)),  # after closing
            (dt(2025, 3, 10, 17, 30), 0, dt(2025, 3, 11, 17, 0)),
            (dt(2025, 3, 14, 10, 0), 1, dt(2025, 3, 17, 17, 0)),  # Friday → Monday
            (dt(2025, 3, 2, 9, 0), 3, dt(2025, 3, 6, 17, 0)),  # Sunday: Monday is the reception day
            (dt(2025, 3, 2, 9, 0), 0, dt(2025, 3, 3, 17, 0)),
            # Tết 2025 (Mon 27/1 – Fri 31/1, Sat 1/2 too)
            (dt(2025, 1, 24, 10, 0), 3, dt(2025, 2, 5, 17, 0)),
            (dt(2025, 1, 24, 17, 30), 3, dt(2025, 2, 6, 17, 0)),
            (dt(2025, 1, 23, 10, 0), 1, dt(2025, 1, 24, 17, 0)),
            (dt(2025, 1, 23, 10, 0), 2, dt(2025, 2, 3, 17, 0)),
            (dt(2025, 1, 29, 9, 0), 0, dt(2025, 2, 3, 17, 0)),  # received on Tết day (online)
            # Tết 2026 (Mon 16/2 – Fri 20/2; Tết day Tue 17/2/2026)
            (dt(2026, 2, 13, 10, 0), 1, dt(2026, 2, 23, 17, 0)),
            (dt(2026, 2, 13, 10, 0), 3, dt(2026, 2, 25, 17, 0)),
            (dt(2026, 2, 12, 10, 0), 5, dt(2026, 2, 26, 17, 0)),
            (dt(2026, 2, 17, 8, 0), 0, dt(2026, 2, 23, 17, 0)),
            (dt(2026, 2, 17, 8, 0), 7, dt(2026, 3, 4, 17, 0)),
            # Tết 2027 (Thu 4/2 – Wed 10/2, package estimate)
            (dt(2027, 2, 3, 10, 0), 2, dt(2027, 2, 12, 17, 0)),
            (dt(2027, 2, 3, 10, 0), 1, dt(2027, 2, 11, 17, 0)),
            (dt(2027, 2, 1, 10, 0), 5, dt(2027, 2, 15, 17, 0)),
            # 30/4 – 1/5 2025 with the make-up Saturday 26/4 and swapped Friday 2/5
            (dt(2025, 4, 25, 10, 0), 1, dt(2025, 4, 26, 17, 0)),
            (dt(2025, 4, 25, 10, 0), 3, dt(2025, 4, 29, 17, 0)),
            (dt(2025, 4, 25, 10, 0), 4, dt(2025, 5, 5, 17, 0)),
            (dt(2025, 4, 26, 10, 0), 0, dt(2025, 4, 26, 17, 0)),
            # National Day 2025: Mon 1/9 + Tue 2/9
            (dt(2025, 8, 29, 10, 0), 1, dt(2025, 9, 3, 17, 0)),
            # Culture Day 2026: Tue 24/11
            (dt(2026, 11, 23, 10, 0), 1, dt(2026, 11, 25, 17, 0)),
        ],
    )
    def test_concrete(self, received: datetime, n: int, due: datetime) -> None:
        assert CAL.add_working_days(received, n) == due
        assert CAL.working_days_between(received, due) == n

    def test_with_overrides(self) -> None:
        # Make-up Saturday 30/01/2027 and swapped day off Wednesday 03/02/2027.
        assert OCAL.add_working_days(dt(2027, 1, 29, 10), 1) == dt(2027, 1, 30, 17)
        assert OCAL.add_working_days(dt(2027, 1, 29, 10), 2) == dt(2027, 2, 1, 17)
        assert OCAL.add_working_days(dt(2027, 1, 29, 10), 4) == dt(2027, 2, 11, 17)
        assert CAL.add_working_days(dt(2027, 1, 29, 10), 3) == dt(2027, 2, 3, 17)
        assert OCAL.add_working_days(dt(2027, 1, 29, 10), 3) == dt(2027, 2, 2, 17)
        # A Saturday reception on a make-up day counts for that Saturday.
        assert OCAL.add_working_days(dt(2027, 1, 30, 9), 0) == dt(2027, 1, 30, 17)

    def test_across_tet_2028(self) -> None:
        # Friday 21/1/2028 + 3 working days skips the whole Tết week (24–28/1): Wed 2/2/2028.
        assert CAL.add_working_days(dt(2028, 1, 21, 10), 3) == dt(2028, 2, 2, 17)

    def test_custom_closing(self) -> None:
        cal = WorkingCalendar(office_hours=OfficeHours.parse("08:00-12:00,13:00-16:30"))
        assert cal.add_working_days(dt(2025, 3, 10, 16, 45), 1) == dt(2025, 3, 12, 16, 30)

    def test_negative_rejected(self) -> None:
        with pytest.raises(ValueError):
            CAL.add_working_days(dt(2025, 3, 10, 10), -1)

    def test_working_days_between_negative_and_zero(self) -> None:
        assert CAL.working_days_between(dt(2025, 3, 13, 10), dt(2025, 3, 10, 10)) == -3
        assert CAL.working_days_between(dt(2025, 3, 10, 10), dt(2025, 3, 10, 8)) == 0
        assert CAL.working_days_between(dt(2025, 3, 10, 10), dt(2025, 3, 15, 10)) == 4  # to Saturday


# --------------------------------------------------------------------------- add_working_hours


class TestWorkingHours:
    @pytest.mark.parametrize(
        ("start", "hours", "end"),
        [
            (dt(2025, 3, 10, 7, 30), 4, dt(2025, 3, 10, 11, 30)),  # fills the morning exactly
            (dt(2025, 3, 10, 10, 0), 4, dt(2025, 3, 10, 16, 0)),  # across lunch
            (dt(2025, 3, 10, 12, 0), 1, dt(2025, 3, 10, 14, 30)),  # starts at 13:30
            (dt(2025, 3, 10, 6, 0), 7.5, dt(2025, 3, 10, 17, 0)),
            (dt(2025, 3, 10, 16, 0), 2, dt(2025, 3, 11, 8, 30)),
            (dt(2025, 3, 10, 18, 0), 0.25, dt(2025, 3, 11, 7, 45)),
            (dt(2025, 3, 14, 16, 0), 8, dt(2025, 3, 17, 16, 30)),  # weekend skipped
            (dt(2025, 1, 24, 16, 0), 4, dt(2025, 2, 3, 10, 30)),  # Tết 2025 skipped
            (dt(2026, 2, 13, 15, 0), 24, dt(2026, 2, 25, 16, 30)),  # Tết 2026 skipped
            (dt(2025, 3, 10, 9, 0), 0, dt(2025, 3, 10, 9, 0)),
            (dt(2025, 3, 10, 17, 0), 0, dt(2025, 3, 10, 17, 0)),  # at a session end: stays
            (dt(2025, 3, 8, 9, 0), 0, dt(2025, 3, 10, 7, 30)),  # Saturday: next opening
        ],
    )
    def test_concrete(self, start: datetime, hours: float, end: datetime) -> None:
        assert CAL.add_working_hours(start, hours) == end

    def test_seconds_and_errors(self) -> None:
        assert CAL.add_working_seconds(dt(2025, 3, 10, 11, 29), 90) == datetime(2025, 3, 10, 13, 30, 30)
        with pytest.raises(ValueError):
            CAL.add_working_hours(dt(2025, 3, 10, 9), -1)

    @pytest.mark.parametrize(
        ("a", "b", "seconds"),
        [
            (dt(2025, 3, 10, 7, 30), dt(2025, 3, 10, 17, 0), 27000),
            (dt(2025, 3, 10, 0, 0), dt(2025, 3, 11, 0, 0), 27000),
            (dt(2025, 3, 10, 11, 0), dt(2025, 3, 10, 14, 0), 3600),
            (dt(2025, 3, 14, 17, 0), dt(2025, 3, 17, 7, 30), 0),
            (dt(2025, 3, 10, 0, 0), dt(2025, 3, 17, 0, 0), 5 * 27000),
            (dt(2025, 1, 20, 0, 0), dt(2025, 2, 10, 0, 0), 10 * 27000),  # one week lost to Tết 2025
            (dt(2025, 3, 10, 14, 0), dt(2025, 3, 10, 11, 0), -3600),
        ],
    )
    def test_working_seconds_between(self, a: datetime, b: datetime, seconds: int) -> None:
        assert CAL.working_seconds_between(a, b) == seconds


# --------------------------------------------------------------------------- properties

_INTERESTING_TIMES = [
    time(0),
    time(7, 29),
    time(7, 30),
    time(11, 29, 59),
    time(11, 30),
    time(12),
    time(13, 30),
    time(16, 59, 59),
    time(17),
    time(17, 0, 1),
    time(23, 59, 59),
]

moments = st.one_of(
    st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 12, 31)),
    st.builds(
        datetime.combine,
        st.dates(min_value=date(2024, 12, 1), max_value=date(2027, 12, 31)),
        st.sampled_from(_INTERESTING_TIMES),
    ),
)
calendars = st.sampled_from([CAL, OCAL, WorkingCalendar(office_hours=OfficeHours.parse("08:00-12:00,13:00-16:30"))])


def _inside_or_at_session_end(cal: WorkingCalendar, moment: datetime) -> bool:
    if not cal.is_working_day(moment.date()):
        return False
    return cal.is_open(moment) or any(moment.time() == end for _, end in cal.office_hours.sessions)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=moments, n=st.integers(min_value=0, max_value=40))
def test_working_days_round_trip(cal: WorkingCalendar, start: datetime, n: int) -> None:
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    assert due.time() == cal.office_hours.closing
    assert cal.is_working_day(due.date())
    assert due > start
    assert cal.add_working_days(start, n + 1) > due


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=moments, quarters=st.integers(min_value=0, max_value=4 * 120))
def test_working_hours_round_trip(cal: WorkingCalendar, start: datetime, quarters: int) -> None:
    hours = quarters / 4
    due = cal.add_working_hours(start, hours)
    assert cal.working_seconds_between(start, due) == quarters * 900
    assert _inside_or_at_session_end(cal, due)
    assert due >= start


@settings(max_examples=200, deadline=None)
@given(cal=calendars, a=moments, b=moments)
def test_working_seconds_antisymmetric_and_additive(cal: WorkingCalendar, a: datetime, b: datetime) -> None:
    a, b = a.replace(microsecond=0), b.replace(microsecond=0)
    assert cal.working_seconds_between(a, b) == -cal.working_seconds_between(b, a)
    mid = min(a, b) + (max(a, b) - min(a, b)) / 2
    mid = mid.replace(microsecond=0)
    lo, hi = min(a, b), max(a, b)
    assert cal.working_seconds_between(lo, hi) == cal.working_seconds_between(lo, mid) + cal.working_seconds_between(
        mid, hi
    )


def _walked_seconds(cal: WorkingCalendar, a: datetime, b: datetime) -> int:
    """The definition, day by day: office time of [a, b) on each day's sessions, whole seconds rounded down."""
    if b < a:
        return -_walked_seconds(cal, b, a)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        for start, end in cal._sessions_on(day):
            if min(end, b) > max(start, a):
                total += min(end, b) - max(start, a)
        day += timedelta(days=1)
    return total // timedelta(seconds=1)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, pairs=st.lists(st.tuples(moments, moments), min_size=1, max_size=8))
def test_working_seconds_from_the_running_sum_equal_the_day_by_day_walk(
    cal: WorkingCalendar, pairs: list[tuple[datetime, datetime]]
) -> None:
    # several questions to one calendar: its running sum of whole days grows earlier and later between them
    for a, b in pairs:
        assert cal.working_seconds_between(a, b) == _walked_seconds(cal, a, b)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, moment=moments)
def test_next_opening_is_open_and_minimal(cal: WorkingCalendar, moment: datetime) -> None:
    opening = cal.next_opening(moment)
    assert cal.is_open(opening)
    assert opening >= moment
    assert cal.working_seconds_between(moment, opening) == 0
    assert (opening == moment) == cal.is_open(moment)
