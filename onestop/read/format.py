"""Moments, days, money, percentages, file sizes and working time, in both languages.

Why one module: pages, notifications, slips and the API showed the same values
through four copies of `fmt_moment`, two of money and two of sizes that had started
to differ (1.5 MB on one page, 1,5 MB on another). Every shape takes the value and,
where the two languages differ, the language; nothing here reads the database.
"""

from __future__ import annotations

from datetime import date, datetime

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import remaining_working_seconds
from onestop.i18n import t


def fmt_moment(value: datetime | None) -> str:
    """Vietnamese order (time, then day/month/year): readable in both languages."""
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_time(value: datetime | None) -> str:
    """A clock time (14:05), the same in both languages."""
    return value.strftime("%H:%M") if value else ""


def fmt_day(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_money(amount: int, lang: str) -> str:
    """8.000 đồng / 8,000 VND."""
    if lang == "en":
        return f"{amount:,} VND"
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_texts(amount: int) -> tuple[str, str]:
    """(Vietnamese, English) fee as shown to people: the amount, or "free" when there is none."""
    if amount <= 0:
        return t("fee.free", "vi"), t("fee.free", "en")
    return fmt_money(amount, "vi"), fmt_money(amount, "en")


def fmt_pct(numerator: int, denominator: int) -> tuple[float, str, str]:
    """(percent, Vietnamese text, English text); percent is -1 with no data, so the UI can say so."""
    if denominator <= 0:
        return -1.0, "—", "—"
    pct = round(100.0 * numerator / denominator, 1)
    text = f"{pct:.1f}".rstrip("0").rstrip(".")
    return pct, text.replace(".", ",") + " %", text + " %"


def fmt_size(size: int, lang: str = "vi") -> str:
    """A file size people read: "1,5 MB" (Vietnamese decimal comma) / "1.5 MB"; at least 1 KB."""
    if size >= 1048576:
        text = f"{size / 1048576:.1f} MB"
        return text.replace(".", ",") if lang == "vi" else text
    return f"{max(1, size // 1024)} KB"


def fmt_working(seconds: int, seconds_per_day: int, lang: str) -> str:
    """Working time as people say it: "1 ngày 3 giờ" / "1 day 3 h" (whole days are office days)."""
    seconds = abs(int(seconds))
    per_day = max(seconds_per_day, 1)
    days, rest = divmod(seconds, per_day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts: list[str] = []
    if days:
        parts.append(f"{days} ngày" if lang == "vi" else f"{days} day{'s' if days > 1 else ''}")
    if hours:
        parts.append(f"{hours} giờ" if lang == "vi" else f"{hours} h")
    if not days and (minutes or not hours):
        parts.append(f"{minutes} phút" if lang == "vi" else f"{minutes} min")
    return " ".join(parts)


def time_left(now: datetime, due: datetime | None, paused_at: datetime | None, cal: WorkingCalendar, lang: str) -> str:
    """ "Còn 2 ngày 3 giờ làm việc" / "Quá hạn 4 giờ làm việc" / paused: what was left at the pause."""
    vi, en = time_left_both(now, due, paused_at, cal)
    return vi if lang == "vi" else en


def time_left_both(
    now: datetime, due: datetime | None, paused_at: datetime | None, cal: WorkingCalendar
) -> tuple[str, str]:
    """`time_left` in Vietnamese and English, the working time counted once (a page shows both: counting it per
    language was the largest part of shaping an inbox page)."""
    if due is None:
        return "", ""
    moment = paused_at or now
    secs = remaining_working_seconds(moment, due, cal)
    per_day = cal.office_hours.seconds_per_day
    if secs < 0 or (secs == 0 and moment > due):
        return tuple(  # type: ignore[return-value]
            t("officer.time_overdue", lang, time=fmt_working(-secs, per_day, lang)) for lang in ("vi", "en")
        )
    key = "officer.time_left_paused" if paused_at else "officer.time_left"
    return t(key, "vi", time=fmt_working(secs, per_day, "vi")), t(key, "en", time=fmt_working(secs, per_day, "en"))
