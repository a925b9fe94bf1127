"""The working calendar of a Vietnamese one-stop center.

Why this module exists: every legal deadline ("3 ngày làm việc", "4 giờ làm việc")
is counted in the center's working time, so one place must decide which days are
working days, when the office is open, and how a duration is added to a reception
moment. Everything here is pure (no database, no I/O) so the rules can be tested
exhaustively and reused by the services, the scheduler and the documents.

Time convention
---------------
All datetimes are NAIVE local wall-clock time in Vietnam (Asia/Ho_Chi_Minh,
UTC+7, no daylight saving since 1975). Legal dates on receipts and appointment
slips are local dates, so storing and computing in local wall-clock time avoids
a whole class of off-by-one-day bugs around midnight UTC. Aware datetimes are
refused with ValueError (a silent mix would shift deadlines by 7 hours); convert
them first with :func:`to_local_naive`.

Which days are working days (highest precedence first)
------------------------------------------------------
1. ``overrides.working_days`` — make-up working days announced by the
   administrator: they win over weekends, public holidays and days off.
2. ``overrides.days_off`` — extra days off announced by the administrator
   (the exact Tết span, swapped days off).
3. Public holidays from the ``holidays`` package (``country_holidays("VN")``):
   New Year, the Tết span, Hùng Kings, 30/4, 1/5, 2/9 plus its adjacent day,
   Vietnamese Culture Day 24/11 from 2026, observed days and the swaps the
   package knows.
4. Weekend make-up working days the package knows (``weekend_workdays``,
   e.g. Saturday 26/04/2025 worked in exchange for Friday 02/05/2025).
5. Otherwise Monday–Friday work, Saturday and Sunday are off.

The package ships lunar dates and the announcements it knows; the yearly
announcements it does not know (or gets wrong, e.g. an estimated Tết span) are
entered by an administrator as overrides, without a code change.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from types import MappingProxyType

import holidays

#: Vietnam's offset; Asia/Ho_Chi_Minh has had no DST since 1975, so a fixed offset is exact.
VN_TZ = timezone(timedelta(hours=7), "ICT")

#: Guard against a calendar with no working day at all (would loop forever).
_MAX_SCAN_DAYS = 3660

_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)

_HOLIDAY_LANG = {"vi": "vi", "en": "en_US"}
_DEFAULT_DAY_OFF_NAME = {"vi": "Ngày nghỉ", "en": "Day off"}
_CULTURE_DAY_NAME = {"vi": "Ngày Văn hóa Việt Nam", "en": "Vietnamese Culture Day"}


def to_local_naive(dt: datetime) -> datetime:
    """Return `dt` as naive Vietnam wall-clock time (aware values are converted, naive ones kept).

    Why: the calendar only accepts naive local time; adapters that receive UTC or
    offset timestamps (APIs, the national portal) convert here, once.
    """
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(VN_TZ).replace(tzinfo=None)


def _check_naive(dt: datetime) -> None:
    if dt.tzinfo is not None:
        raise ValueError("WorkingCalendar expects naive Vietnam local time; use to_local_naive() first")


# --------------------------------------------------------------------------- office hours

_SESSION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _fmt_time(t: time) -> str:
    return t.strftime("%H:%M") if not (t.second or t.microsecond) else t.isoformat()


@dataclass(frozen=True)
class OfficeHours:
    """The reception sessions of one working day, in order (default 07:30–11:30, 13:30–17:00).

    Why a value object: office hours are a setting per center, and every
    deadline (the 17:00 closing of a due day, the walk through working hours)
    depends on them. Sessions must be non-empty, each start < end, sorted and
    non-overlapping, and inside one day.
    """

    sessions: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))

    def __post_init__(self) -> None:
        sessions = tuple((s, e) for s, e in self.sessions)
        if not sessions:
            raise ValueError("office hours need at least one session")
        previous_end: time | None = None
        for start, end in sessions:
            if not isinstance(start, time) or not isinstance(end, time):
                raise ValueError("office-hour sessions are pairs of datetime.time")
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours are naive local times")
            if start >= end:
                raise ValueError(f"session {_fmt_time(start)}-{_fmt_time(end)} ends before it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("office-hour sessions must be sorted and must not overlap")
            previous_end = end
        object.__setattr__(self, "sessions", sessions)

    @property
    def opening(self) -> time:
        """Start of the first session: receptions before it count for the same day."""
        return self.sessions[0][0]

    @property
    def closing(self) -> time:
        """End of the last session: the moment a due day ends (17:00 by default)."""
        return self.sessions[-1][1]

    @property
    def seconds_per_day(self) -> int:
        """Office seconds in one working day (27,000 = 7.5 h by default)."""
        total = timedelta()
        for start, end in self.sessions:
            total += datetime.combine(date.min, end) - datetime.combine(date.min, start)
        return total // _ONE_SECOND

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse a setting such as ``"07:30-11:30,13:30-17:00"``; raise ValueError on bad text."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("office hours text is empty")
        sessions: list[tuple[time, time]] = []
        for part in text.split(","):
            match = _SESSION_RE.match(part)
            if match is None:
                raise ValueError(f"bad office-hour session {part.strip()!r}; expected HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                sessions.append((time(h1, m1), time(h2, m2)))
            except ValueError as exc:
                raise ValueError(f"bad time in office-hour session {part.strip()!r}") from exc
        return cls(tuple(sessions))

    def format(self) -> str:
        """The text form accepted by :meth:`parse` (round-trips)."""
        return ",".join(f"{_fmt_time(s)}-{_fmt_time(e)}" for s, e in self.sessions)

    def __str__(self) -> str:
        return self.format()


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True)
class CalendarOverrides:
    """The administrator's yearly announcements, which the `holidays` package cannot know.

    Why: the exact Tết span, swapped days off and make-up working Saturdays are
    decreed every year; they live in an administrator-edited table and the
    service layer builds this object from it.

    - ``days_off``: extra days off (Tết span, swapped days off, local events).
    - ``working_days``: make-up working days; they override weekends, public
      holidays AND ``days_off`` (if a date is in both sets, it is worked).
    - ``names``: optional labels shown in calendars ("Nghỉ bù Tết 2027").

    Any iterable/mapping is accepted and frozen, so the object is immutable and hashable.
    """

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    names: Mapping[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        for d in (*self.days_off, *self.working_days, *self.names):
            if isinstance(d, datetime) or not isinstance(d, date):
                raise ValueError(f"calendar overrides are keyed by date, got {d!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CalendarOverrides):
            return NotImplemented
        return (
            self.days_off == other.days_off
            and self.working_days == other.working_days
            and dict(self.names) == dict(other.names)
        )

    def __hash__(self) -> int:
        return hash((self.days_off, self.working_days))


# --------------------------------------------------------------------------- package holidays


@dataclass(frozen=True)
class _PackageYear:
    holidays: Mapping[date, str]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=512)
def _package_year(year: int, lang: str) -> _PackageYear:
    """Public holidays and weekend make-up days of one year, as the `holidays` package knows them.

    Cached per (year, language) for the whole process: building the table is the
    expensive part (lunar conversions), and it never changes while running.
    """
    table = holidays.country_holidays("VN", years=year, language=_HOLIDAY_LANG.get(lang, "vi"))
    days: dict[date, str] = {d: str(name) for d, name in table.items() if d.year == year}
    # Vietnamese Culture Day (24/11, a paid day off from 2026 per Resolution 80-NQ/TW).
    # holidays 0.109 ships it (as "Vietnam Cultural Day"); older releases allowed by
    # pyproject (>=0.60) do not, so add it here when missing. Observed days for a weekend 24/11 follow the
    # yearly announcement, i.e. are entered as overrides.
    culture_day = date(year, 11, 24)
    if year >= 2026 and culture_day not in days:
        days[culture_day] = _CULTURE_DAY_NAME.get(lang, _CULTURE_DAY_NAME["vi"])
    workdays = frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return _PackageYear(MappingProxyType(days), workdays)


# --------------------------------------------------------------------------- the calendar


class WorkingCalendar:
    """Working days, office hours and working-time arithmetic for one center.

    Why a class: a center's calendar is the package holidays + the
    administrator's overrides + its office hours; building it once and asking it
    many questions keeps every deadline consistent.

    All datetimes are naive Vietnam local time (see the module docstring).
    `language` ("vi" or "en") only affects the names returned by
    :meth:`days_off_in_year` and :meth:`holiday_name`.
    """

    def __init__(
        self,
        overrides: CalendarOverrides | None = None,
        office_hours: OfficeHours | None = None,
        *,
        language: str = "vi",
    ) -> None:
        self.overrides = overrides if overrides is not None else CalendarOverrides()
        self.office_hours = office_hours if office_hours is not None else OfficeHours()
        self.language = language if language in _HOLIDAY_LANG else "vi"
        self._sessions: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        #: Office seconds of the whole days from `_first_day` on: `_before[i]` sums the days before first + i days.
        self._first_day: date | None = None
        self._before: list[int] = [0]

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(days_off={len(self.overrides.days_off)}, "
            f"working_days={len(self.overrides.working_days)}, office_hours={self.office_hours.format()!r})"
        )

    # ---------------------------------------------------------------- days

    def _year(self, year: int) -> _PackageYear:
        return _package_year(year, self.language)

    def is_public_holiday(self, d: date) -> bool:
        """True if the `holidays` package (plus Culture Day) lists `d`, whatever the overrides say."""
        return d in self._year(d.year).holidays

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri, minus public holidays, minus overrides.days_off, plus make-up working days.

        Precedence: overrides.working_days > overrides.days_off > package holidays >
        package weekend make-up days > the Mon–Fri rule.
        """
        if isinstance(d, datetime):
            d = d.date()
        if d in self.overrides.working_days:
            return True
        if d in self.overrides.days_off:
            return False
        info = self._year(d.year)
        if d in info.holidays:
            return False
        if d in info.weekend_workdays:
            return True
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str | None:
        """The label of a day off or make-up day (override label first), or None for an ordinary day."""
        if d in self.overrides.names:
            return self.overrides.names[d]
        name = self._year(d.year).holidays.get(d)
        if name is not None:
            return name
        if d in self.overrides.days_off:
            return _DEFAULT_DAY_OFF_NAME[self.language]
        return None

    def days_off_in_year(self, year: int) -> list[tuple[date, str]]:
        """Every Monday–Friday of `year` on which the office is closed, with the reason, in date order.

        Why weekdays only: this is the list that changes deadlines (a holiday on a
        Saturday changes nothing unless an observed weekday is given, and that
        weekday is itself listed). Covers package holidays, their observed days and
        swaps, and override days off, minus make-up working days.
        """
        result: list[tuple[date, str]] = []
        for d in _days_of_year(year):
            if d.weekday() < 5 and not self.is_working_day(d):
                result.append((d, self.holiday_name(d) or _DEFAULT_DAY_OFF_NAME[self.language]))
        return result

    def make_up_days_in_year(self, year: int) -> list[date]:
        """Days of `year` worked although normally off (make-up Saturdays/Sundays, cancelled holidays)."""
        info = self._year(year)
        return [d for d in _days_of_year(year) if (d.weekday() >= 5 or d in info.holidays) and self.is_working_day(d)]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        if isinstance(d, datetime):
            d = d.date()
        for _ in range(_MAX_SCAN_DAYS):
            d += _ONE_DAY
            if self.is_working_day(d):
                return d
        raise ValueError("no working day within ten years: check the calendar overrides")

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before `d`."""
        if isinstance(d, datetime):
            d = d.date()
        for _ in range(_MAX_SCAN_DAYS):
            d -= _ONE_DAY
            if self.is_working_day(d):
                return d
        raise ValueError("no working day within ten years: check the calendar overrides")

    def _count_working_days(self, after: date, up_to: date) -> int:
        """Working days d with after < d <= up_to (0 if up_to <= after)."""
        count = 0
        d = after + _ONE_DAY
        while d <= up_to:
            if self.is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count

    # ---------------------------------------------------------------- hours

    def _sessions_on(self, d: date) -> tuple[tuple[datetime, datetime], ...]:
        """The office sessions of day `d` as datetimes (empty on a day off).

        Remembered per calendar (its overrides and hours are frozen): an inbox page counts the working time left of
        50 deadlines with one calendar, day by day over the same few weeks (most of the page's shaping time)."""
        known = self._sessions.get(d)
        if known is None:
            known = ()
            if self.is_working_day(d):
                known = tuple((datetime.combine(d, s), datetime.combine(d, e)) for s, e in self.office_hours.sessions)
            self._sessions[d] = known
        return known

    def closing_of(self, d: date) -> datetime:
        """Closing moment (17:00 by default) of day `d`, whether or not it is a working day."""
        return datetime.combine(d, self.office_hours.closing)

    def opening_of(self, d: date) -> datetime:
        """Opening moment (07:30 by default) of day `d`, whether or not it is a working day."""
        return datetime.combine(d, self.office_hours.opening)

    def is_open(self, dt: datetime) -> bool:
        """True on a working day inside a session [start, end) — at 11:30 or 17:00 sharp the desk is closed."""
        _check_naive(dt)
        if not self.is_working_day(dt.date()):
            return False
        t = dt.time()
        return any(s <= t < e for s, e in self.office_hours.sessions)

    def _at_session_end(self, dt: datetime) -> bool:
        return self.is_working_day(dt.date()) and any(dt.time() == e for _, e in self.office_hours.sessions)

    def next_opening(self, dt: datetime) -> datetime:
        """`dt` itself if the office is open, else the start of the next session."""
        _check_naive(dt)
        d, t = dt.date(), dt.time()
        if self.is_working_day(d):
            for start, end in self.office_hours.sessions:
                if t < start:
                    return datetime.combine(d, start)
                if t < end:
                    return dt
        return self.opening_of(self.next_working_day(d))

    def reception_day(self, received_at: datetime) -> date:
        """The day a reception counts for: its own date if it is a working day and before closing, else the next working day.

        Why: "a dossier received after closing counts from the next working day";
        a reception before opening or during the lunch break still counts for
        that day, and one at exactly the closing moment counts for the next.
        """
        _check_naive(received_at)
        d = received_at.date()
        if self.is_working_day(d) and received_at.time() < self.office_hours.closing:
            return d
        return self.next_working_day(d)

    # ---------------------------------------------------------------- arithmetic

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The due moment of an "n working days" duration received at `start`.

        The rule used by Vietnamese centers: the result is the CLOSING time
        (17:00 by default) of the n-th working day counted AFTER the reception
        day. The reception day is ``start``'s date when that date is a working day
        and ``start`` is before closing time (before opening and lunch break
        included); a reception at/after closing time or on a day off counts as
        received at the next opening, so that next working day is the reception
        day. ``n == 0`` gives the closing time of the reception day.

        Example: received Monday 10:00 with 3 working days → Thursday 17:00;
        received Monday 17:30 → the reception day is Tuesday → Friday 17:00.
        """
        n = operator.index(n)
        if n < 0:
            raise ValueError("n must be >= 0")
        day = self.reception_day(start)
        for _ in range(n):
            day = self.next_working_day(day)
        return self.closing_of(day)

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """The inverse of :meth:`add_working_days`: working days strictly after `a`'s reception day up to and including `b`'s date.

        ``working_days_between(s, add_working_days(s, n)) == n``. Negative when
        `b`'s date is before `a`'s reception day (minus the working days in
        (b's date, a's reception day]).
        """
        _check_naive(b)
        start_day = self.reception_day(a)
        end_day = b.date()
        if end_day >= start_day:
            return self._count_working_days(start_day, end_day)
        return -self._count_working_days(end_day, start_day)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """`start` plus `hours` of office time, walking the sessions of working days.

        Starting outside office hours, the count begins at the next opening. The
        result is always inside a session or exactly at the end of one (e.g.
        11:30 or 17:00): work that fills a session up to its end is finished then,
        not at the start of the next session. Zero hours from a moment outside
        office hours gives the next opening.
        """
        if hours < 0:
            raise ValueError("hours must be >= 0")
        return self._add_working(start, timedelta(hours=hours))

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """Like :meth:`add_working_hours`, in whole seconds (exact; used to carry paused time forward)."""
        seconds = operator.index(seconds)
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        return self._add_working(start, timedelta(seconds=seconds))

    def _add_working(self, start: datetime, remaining: timedelta) -> datetime:
        _check_naive(start)
        if not remaining and (self.is_open(start) or self._at_session_end(start)):
            return start
        cursor = self.next_opening(start)
        for _ in range(_MAX_SCAN_DAYS * 2):
            for session_start, session_end in self._sessions_on(cursor.date()):
                if session_end <= cursor:
                    continue
                low = max(session_start, cursor)
                available = session_end - low
                if remaining <= available:
                    return low + remaining
                remaining -= available
            cursor = self.opening_of(self.next_working_day(cursor.date()))
        raise ValueError("duration too long for the working calendar")

    def working_seconds_between(self, a: datetime, b: datetime) -> int:
        """Office-hour seconds in [a, b) on working days; negative if b < a (whole seconds, rounded down in magnitude).

        The whole days between a's day and b's day come from a running sum kept per calendar: an inbox page asks
        this of 50 deadlines, some weeks late, and walking the days one by one was most of the page's shaping."""
        _check_naive(a)
        _check_naive(b)
        if b < a:
            return -self.working_seconds_between(b, a)
        first, last = a.date(), b.date()
        total = timedelta()
        for d in (first, last) if first != last else (first,):
            for session_start, session_end in self._sessions_on(d):
                low = max(session_start, a)
                high = min(session_end, b)
                if high > low:
                    total += high - low
        whole_days = self._whole_days_seconds(first + _ONE_DAY, last - _ONE_DAY)
        return (total + timedelta(seconds=whole_days)) // _ONE_SECOND

    def _whole_days_seconds(self, first: date, last: date) -> int:
        """Office seconds of every day from `first` to `last`, both whole (0 when last < first)."""
        if last < first:
            return 0
        self._cover(first, last)
        start = self._first_day
        assert start is not None  # set by _cover
        return self._before[(last - start).days + 1] - self._before[(first - start).days]

    def _cover(self, first: date, last: date) -> None:
        """Grow the running sum so that it spans [first, last]."""
        if self._first_day is None or first < self._first_day:  # started again from the earlier day
            self._first_day, self._before = first, [0]
        end = self._first_day + timedelta(days=len(self._before) - 1)  # the day the next entry would add
        while end <= last:
            day = sum((e - s for s, e in self._sessions_on(end)), timedelta()) // _ONE_SECOND
            self._before.append(self._before[-1] + day)
            end += _ONE_DAY


def _date_range(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += _ONE_DAY


def _days_of_year(year: int) -> Iterable[date]:
    return _date_range(date(year, 1, 1), date(year, 12, 31))
