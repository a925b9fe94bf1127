"""The working calendar as configured: package holidays + the administrator's overrides."""

from __future__ import annotations

from datetime import date, time

from sqlmodel import Session, select

from onestop.domain.calendar import CalendarOverrides, OfficeHours, WorkingCalendar
from onestop.domain.errors import DomainError
from onestop.models import CalendarOverride
from onestop.services.actor import Actor
from onestop.services.permissions import require_role
from onestop.settings import get_settings


def load_calendar(session: Session) -> WorkingCalendar:
    """Build the calendar from the override table (a few dozen rows) and the office-hours setting."""
    rows = session.exec(select(CalendarOverride)).all()
    overrides = CalendarOverrides(
        days_off=frozenset(r.day for r in rows if r.kind == "day_off"),
        working_days=frozenset(r.day for r in rows if r.kind == "working_day"),
        names={r.day: r.name for r in rows if r.name},
    )
    return WorkingCalendar(overrides, OfficeHours.parse(get_settings().office_hours))


def same_day_cutoff() -> time:
    hh, mm = get_settings().same_day_cutoff.split(":")
    return time(int(hh), int(mm))


def set_override(session: Session, actor: Actor, day: date, kind: str, name: str = "") -> CalendarOverride:
    """Add or change one announced day (admin only)."""
    require_role(actor, ["admin"])
    if kind not in ("day_off", "working_day"):
        raise DomainError("bad_override_kind", "Loại ngày không hợp lệ.", "Unknown kind of day.", field="kind")
    row = session.exec(select(CalendarOverride).where(CalendarOverride.day == day)).first()
    row = row or CalendarOverride(day=day, kind=kind)
    row.kind, row.name = kind, name.strip()[:200]
    session.add(row)
    session.flush()
    return row


def delete_override(session: Session, actor: Actor, day: date) -> None:
    require_role(actor, ["admin"])
    row = session.exec(select(CalendarOverride).where(CalendarOverride.day == day)).first()
    if row is not None:
        session.delete(row)
        session.flush()
