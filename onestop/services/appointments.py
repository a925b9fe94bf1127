"""Appointments: book a slot for a procedure at a center, cancel it; it becomes a queue ticket on arrival.

Why a slot row with a conditional increment: a slot of a counter group holds
`counters serving the field × slot_capacity` appointments. The booking first makes
sure the slot row exists (`INSERT … ON CONFLICT DO NOTHING`), then runs
`UPDATE appointment_slot SET booked = booked + 1 WHERE … AND booked < capacity`;
the database lets exactly `capacity` of any number of simultaneous bookings
through (PostgreSQL row lock; SQLite serialised writers), and the rest get
"slot full". Cancelling gives the place back. The reminder the day before is the
scheduler's `appointment_reminders` job (onestop.services.alerts). Use cases
never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from onestop import clock
from onestop.domain import queue as rules
from onestop.domain.errors import DomainError, NotFound, PermissionDenied
from onestop.models import Appointment, AppointmentSlot, Center, Procedure, ProcedureField
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.permissions import require_signed_in
from onestop.services.queue import counters_of, policy_for

#: How far ahead people may book.
HORIZON_DAYS = 30


def field_of_procedure(session: Session, procedure_code: str) -> str:
    row = session.exec(
        select(ProcedureField.code)
        .join(Procedure, Procedure.field_id == ProcedureField.id)
        .where(Procedure.code == procedure_code, Procedure.is_current.is_(True))
    ).first()
    if row is None:
        raise NotFound("Không tìm thấy thủ tục.", "Procedure not found.", code="procedure_not_found")
    return str(row)


def group_size(session: Session, center_id: int, field_code: str) -> int:
    """How many counters of the center serve this field (its counter group)."""
    return sum(1 for c in counters_of(session, center_id) if not c.field_codes or field_code in c.field_codes)


def book(
    session: Session, actor: Actor, *, center_id: int, procedure_code: str, at: datetime, now: datetime | None = None
) -> Appointment:
    """Book one place in a slot; refused when the slot is full, past, closed, or the person already holds one
    at this center that day."""
    actor = require_signed_in(actor)
    now = now or clock.now()
    center = session.get(Center, center_id)
    if center is None or not center.active:
        raise NotFound("Không tìm thấy trung tâm.", "Center not found.", code="center_not_found")
    field_code = field_of_procedure(session, procedure_code)
    policy = policy_for(session, center_id)
    cal = load_calendar(session)
    rules.check_bookable(
        at,
        now,
        working_day=cal.is_working_day(at.date()),
        slots=rules.day_slots(at.date(), cal.office_hours.sessions, policy.slot_minutes),
        max_days_ahead=HORIZON_DAYS,
    )
    day_start = datetime.combine(at.date(), datetime.min.time())
    mine = session.exec(
        select(Appointment.id).where(
            Appointment.user_id == actor.user_id,
            Appointment.center_id == center_id,
            Appointment.status == "booked",
            Appointment.at >= day_start,
            Appointment.at < datetime.combine(at.date(), datetime.max.time()),
        )
    ).first()
    if mine is not None:
        raise DomainError(
            "appointment_twice",
            "Bạn đã có lịch hẹn tại trung tâm này trong ngày đó.",
            "You already have an appointment at this center that day.",
            field="at",
            status=409,
        )
    capacity = rules.slot_capacity(group_size(session, center_id, field_code), policy)
    table = AppointmentSlot.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(table)
        .values(center_id=center_id, field_code=field_code, at=at, booked=0)
        .on_conflict_do_nothing(index_elements=[table.c.center_id, table.c.field_code, table.c.at])
    )
    won = session.execute(
        sa.update(table)
        .where(
            table.c.center_id == center_id,
            table.c.field_code == field_code,
            table.c.at == at,
            table.c.booked < capacity,
        )
        .values(booked=table.c.booked + 1)
    ).rowcount
    if not won:
        rules.check_capacity(capacity, capacity)  # raises "slot full"
    appt = Appointment(
        center_id=center_id,
        user_id=actor.user_id,
        procedure_code=procedure_code,
        at=at,
        status="booked",
        created_at=now,
        field_code=field_code,
    )
    session.add(appt)
    session.flush()
    return appt


def cancel(session: Session, actor: Actor, appointment_id: int, now: datetime | None = None) -> Appointment:
    """The holder (or an officer of the center) cancels a future appointment; its place is free again."""
    now = now or clock.now()
    appt = session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("Không tìm thấy lịch hẹn.", "Appointment not found.", code="appointment_not_found")
    if appt.user_id != actor.user_id and not (actor.is_officer and actor.center_id == appt.center_id):
        raise PermissionDenied()
    if appt.status != "booked" or appt.at <= now:
        raise DomainError(
            "appointment_state",
            "Lịch hẹn này không thể hủy nữa.",
            "This appointment can no longer be cancelled.",
            status=409,
        )
    appt.status = "cancelled"
    table = AppointmentSlot.__table__
    session.execute(
        sa.update(table)
        .where(
            table.c.center_id == appt.center_id,
            table.c.field_code == appt.field_code,
            table.c.at == appt.at,
            table.c.booked > 0,
        )
        .values(booked=table.c.booked - 1)
    )
    session.add(appt)
    session.flush()
    return appt
