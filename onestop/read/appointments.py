"""The appointments page's reads: where and for what one can book, free slots, one's own bookings.

Why on the read side: the page ran these queries itself (centers, current procedures,
the procedure of each booking); here they are shaped once, in both languages, and
the page keeps only its state. Booking and cancelling are `services.appointments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from onestop import clock
from onestop.domain import queue as rules
from onestop.models import Appointment, AppointmentSlot, Center, Procedure
from onestop.read.bilingual import BiText
from onestop.read.choices import Choice
from onestop.read.format import fmt_moment, fmt_time
from onestop.services.appointments import field_of_procedure, group_size
from onestop.services.calendar import load_calendar
from onestop.services.queue import policy_for


@dataclass
class SlotRow:
    value: str = ""  # ISO moment
    time: str = ""
    free: int = 0
    free_text: BiText = BiText()  # "3 places left"


@dataclass
class Booking:
    id: int = 0
    when: str = ""
    center: str = ""
    procedure: BiText = BiText()
    today: bool = False


@dataclass(frozen=True)
class SlotInfo:
    at: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


def slots(
    session: Session, center_id: int, procedure_code: str, day: date, now: datetime | None = None
) -> list[SlotInfo]:
    """The day's future slots for the procedure's counter group, with places left (none on a day off)."""
    now = now or clock.now()
    cal = load_calendar(session)
    if not cal.is_working_day(day):
        return []
    field_code = field_of_procedure(session, procedure_code)
    policy = policy_for(session, center_id)
    capacity = rules.slot_capacity(group_size(session, center_id, field_code), policy)
    booked = dict(
        session.exec(
            select(AppointmentSlot.at, AppointmentSlot.booked).where(
                AppointmentSlot.center_id == center_id,
                AppointmentSlot.field_code == field_code,
                AppointmentSlot.at >= datetime.combine(day, datetime.min.time()),
                AppointmentSlot.at < datetime.combine(day, datetime.max.time()),
            )
        ).all()
    )
    return [
        SlotInfo(at, capacity, int(booked.get(at, 0)))
        for at in rules.day_slots(day, cal.office_hours.sessions, policy.slot_minutes)
        if at > now
    ]


def upcoming(session: Session, user_id: int, now: datetime | None = None) -> list[Appointment]:
    now = now or clock.now()
    day_start = datetime.combine(now.date(), datetime.min.time())
    return list(
        session.exec(
            select(Appointment)
            .where(Appointment.user_id == user_id, Appointment.status == "booked", Appointment.at >= day_start)
            .order_by(Appointment.at)
        ).all()
    )


def booking_choices(session: Session) -> tuple[list[Choice], list[Choice]]:
    """(active centers, current procedures) for the two selects."""
    centers = [
        Choice(str(c.id), c.name, c.name)
        for c in session.exec(select(Center).where(Center.active.is_(True)).order_by(Center.code))
    ]
    procedures = [
        Choice(p.code, p.name_vi, p.name_en)
        for p in session.exec(select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.name_vi))
    ]
    return centers, procedures


def my_bookings(session: Session, user_id: int, now: datetime) -> list[Booking]:
    """The person's coming appointments, with the center and procedure named."""
    appts = upcoming(session, user_id)
    codes = {a.procedure_code for a in appts}
    procs = {
        p.code: p
        for p in session.exec(select(Procedure).where(Procedure.code.in_(codes), Procedure.is_current.is_(True)))
    }
    out = []
    for a in appts:
        center = session.get(Center, a.center_id)
        proc = procs.get(a.procedure_code)
        out.append(
            Booking(
                a.id or 0,
                fmt_moment(a.at),
                center.name if center else "",
                BiText(proc.name_vi, proc.name_en) if proc else BiText(a.procedure_code, a.procedure_code),
                a.at.date() == now.date(),
            )
        )
    return out


def slot_rows(session: Session, center_id: int, procedure: str, day: date) -> list[SlotRow]:
    """The day's slots with how many places are still free (capacity is judged again when booking)."""
    return [
        SlotRow(s.at.isoformat(), fmt_time(s.at), s.free, BiText.of("appt.free", n=s.free))
        for s in slots(session, center_id, procedure, day)
    ]
