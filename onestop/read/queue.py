"""What the queue pages and the dashboard show: a person's ticket, the hall display, a counter's panel, figures.

Why a read module: the phone page, the kiosk slip, the TV in the hall and the
officer's panel all show the same facts (the number, who is ahead, the wait,
which counter) shaped in both languages; here they are read in a few indexed
queries (ix_queue_ticket_line) and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain import queue as rules
from onestop.models import Center, Counter, ProcedureField, QueueTicket
from onestop.read.bilingual import BiText
from onestop.read.centers import CenterInfo
from onestop.read.choices import Choice
from onestop.read.format import fmt_day, fmt_time
from onestop.services.queue import (
    ahead_count,
    counters_of,
    fields_served,
    policy_for,
    regular_calls_since_priority,
    waiting_of,
)

#: How many recent calls the hall display lists.
DISPLAY_ROWS = 8
#: How many waiting tickets a counter allowed to pick sees (the front of its line).
PICK_ROWS = 20


def center_info(session: Session, center: Center) -> CenterInfo:
    codes = fields_served(session, center.id)
    names = {f.code: f for f in session.exec(select(ProcedureField).where(ProcedureField.code.in_(codes)))}
    choices = [Choice(c, names[c].name_vi if c in names else c, names[c].name_en if c in names else c) for c in codes]
    return CenterInfo.of(center, choices, speech=policy_for(session, center.id).speech)


@dataclass
class TicketView:
    """One ticket as its holder sees it on the phone or the kiosk slip."""

    token: str = ""
    number: str = ""
    center_name: str = ""
    field_name: BiText = BiText()  # the counter group (field of procedures) it queues for
    status: str = ""  # waiting | called | serving | served | missed | cancelled
    counter: str = ""  # the counter's number once called
    ahead: int = 0
    wait_minutes: int = 0
    taken_at: str = ""
    day: str = ""
    is_today: bool = True
    priority: bool = False
    updated_at: str = ""


def _field_name(session: Session, code: str) -> BiText:
    row = session.exec(select(ProcedureField).where(ProcedureField.code == code)).first()
    return BiText(row.name_vi, row.name_en) if row else BiText(code, code)


def _pace(session: Session, center_id: int, day: date, field_code: str) -> tuple[float | None, int]:
    """Today's minutes per person for a counter group, and how many counters served it today."""
    rows = session.exec(
        select(QueueTicket.serving_at, QueueTicket.done_at, QueueTicket.counter_id).where(
            QueueTicket.center_id == center_id,
            QueueTicket.day == day,
            QueueTicket.field_code == field_code,
            QueueTicket.status == rules.SERVED,
            QueueTicket.serving_at.is_not(None),
        )
    ).all()
    pace = rules.average_minutes((d - s).total_seconds() for s, d, _ in rows if d and s)
    return pace, len({c for _, _, c in rows if c})


def ticket_view(session: Session, ticket: QueueTicket, now: datetime | None = None) -> TicketView:
    now = now or clock.now()
    center = session.get(Center, ticket.center_id)
    policy = policy_for(session, ticket.center_id)
    view = TicketView(
        token=ticket.token,
        number=rules.format_number(ticket.number, ticket.priority),
        center_name=center.name if center else "",
        field_name=_field_name(session, ticket.field_code),
        status=ticket.status,
        taken_at=fmt_time(ticket.created_at),
        day=fmt_day(ticket.day),
        is_today=ticket.day == rules.queue_day(now),
        priority=ticket.priority,
        updated_at=now.strftime("%H:%M:%S"),
    )
    if ticket.counter_id and ticket.status in (rules.CALLED, rules.SERVING):
        counter = session.get(Counter, ticket.counter_id)
        view.counter = str(counter.number) if counter else ""
    if ticket.status == rules.WAITING and view.is_today:
        view.ahead = ahead_count(session, ticket, now)
        pace, active = _pace(session, ticket.center_id, ticket.day, ticket.field_code)
        group = sum(
            1 for c in counters_of(session, ticket.center_id) if not c.field_codes or ticket.field_code in c.field_codes
        )
        view.wait_minutes = rules.estimate_wait(view.ahead, active or group, pace, policy)
    return view


def open_ticket_of(session: Session, user_id: int, now: datetime | None = None) -> QueueTicket | None:
    """The signed-in person's latest ticket today (what a "your number is called" notification opens)."""
    now = now or clock.now()
    return session.exec(
        select(QueueTicket)
        .where(QueueTicket.user_id == user_id, QueueTicket.day == rules.queue_day(now))
        .order_by(QueueTicket.id.desc())
    ).first()


# --------------------------------------------------------------------------- the hall display


@dataclass
class CallRow:
    number: str = ""
    counter: str = ""
    at: str = ""
    key: str = ""  # changes with every call and recall: the display speaks and flashes new keys


@dataclass
class DisplayView:
    center_code: str = ""
    center_name: str = ""
    calls: list[CallRow] = field(default_factory=list)
    waiting: int = 0
    speech: bool = False
    updated_at: str = ""


def display_view(session: Session, center: Center, now: datetime | None = None) -> DisplayView:
    """The latest calls of today (recalls come back to the top), and how many are waiting."""
    now = now or clock.now()
    day = rules.queue_day(now)
    rows = session.exec(
        select(QueueTicket, Counter.number)
        .join(Counter, Counter.id == QueueTicket.counter_id)
        .where(
            QueueTicket.center_id == center.id,
            QueueTicket.day == day,
            QueueTicket.called_at.is_not(None),
            QueueTicket.status.in_([rules.CALLED, rules.SERVING, rules.SERVED]),
        )
        .order_by(QueueTicket.called_at.desc(), QueueTicket.id.desc())
        .limit(DISPLAY_ROWS)
    ).all()
    waiting = session.exec(
        select(sa.func.count())
        .select_from(QueueTicket)
        .where(QueueTicket.center_id == center.id, QueueTicket.day == day, QueueTicket.status == rules.WAITING)
    ).one()
    calls = [
        CallRow(rules.format_number(t.number, t.priority), str(n), fmt_time(t.called_at), f"{t.id}:{t.call_count}")
        for t, n in rows
    ]
    return DisplayView(
        center.code, center.name, calls, int(waiting), policy_for(session, center.id).speech, now.strftime("%H:%M:%S")
    )


# --------------------------------------------------------------------------- the counter panel


@dataclass
class PickRow:
    """A waiting ticket a counter allowed to pick may call (PanelView.pickable)."""

    id: int = 0
    number: str = ""
    field_name: BiText = BiText()
    waited: int = 0  # minutes since the number was taken (since its time, for an appointment)
    priority: bool = False


@dataclass
class PanelView:
    """What an officer at a counter sees: the person called, the line, today's pace."""

    counter_id: int = 0
    counter_number: int = 0
    center_code: str = ""
    ticket_id: int = 0
    number: str = ""
    status: str = ""
    call_count: int = 0
    max_calls: int = 3
    field_name: BiText = BiText()
    waiting_here: int = 0  # tickets this counter can call
    waiting_center: int = 0  # today's queue length at the center
    served_today: int = 0
    average_wait: int = 0  # minutes from taking the number to the first call, today
    can_pick: bool = False
    pickable: list[PickRow] = field(default_factory=list)  # filled only where picking is allowed, in call order
    others: list[Choice] = field(default_factory=list)  # where a ticket may be transferred
    updated_at: str = ""


def counters_for(session: Session, center_id: int) -> list[Choice]:
    """The center's counters as select options (value: the counter's id; a counter's name is not translated)."""
    return [Choice(str(c.id), c.name, c.name) for c in counters_of(session, center_id)]


def panel_view(session: Session, counter: Counter, now: datetime | None = None) -> PanelView:
    now = now or clock.now()
    day = rules.queue_day(now)
    policy = policy_for(session, counter.center_id)
    view = PanelView(
        counter_id=counter.id,
        counter_number=counter.number,
        max_calls=policy.max_calls,
        can_pick=counter.id in policy.pick_counter_ids,
        updated_at=now.strftime("%H:%M:%S"),
        others=[c for c in counters_for(session, counter.center_id) if c.value != str(counter.id)],
    )
    current = session.exec(
        select(QueueTicket)
        .where(
            QueueTicket.center_id == counter.center_id,
            QueueTicket.counter_id == counter.id,
            QueueTicket.day == day,
            QueueTicket.status.in_([rules.CALLED, rules.SERVING]),
        )
        .order_by(QueueTicket.called_at.desc())
    ).first()
    if current is not None:
        view.ticket_id, view.status, view.call_count = current.id or 0, current.status, current.call_count
        view.number = rules.format_number(current.number, current.priority)
        view.field_name = _field_name(session, current.field_code)
    waiting = session.exec(
        select(QueueTicket).where(
            QueueTicket.center_id == counter.center_id, QueueTicket.day == day, QueueTicket.status == rules.WAITING
        )
    ).all()
    fields = list(counter.field_codes or [])
    mine = [t for t in waiting if rules.serves(waiting_of(t), counter.id, fields)]
    view.waiting_center, view.waiting_here = len(waiting), len(mine)
    if view.can_pick:
        view.pickable = _pick_rows(session, counter, mine, policy, now)
    done = session.exec(
        select(QueueTicket.created_at, QueueTicket.first_called_at, QueueTicket.status).where(
            QueueTicket.center_id == counter.center_id, QueueTicket.day == day, QueueTicket.first_called_at.is_not(None)
        )
    ).all()
    waits = [(f - c).total_seconds() for c, f, _ in done if f and f >= c]
    view.average_wait = round(rules.average_minutes(waits) or 0)
    view.served_today = sum(1 for _, _, s in done if s == rules.SERVED)
    return view


def _pick_rows(
    session: Session, counter: Counter, mine: list[QueueTicket], policy: rules.Policy, now: datetime
) -> list[PickRow]:
    """The front of this counter's line in the order "call next" would take it (domain.queue.call_order)."""
    by_id = {t.id: t for t in mine}
    order = rules.call_order(
        [waiting_of(t) for t in mine],
        counter_id=counter.id,
        counter_fields=list(counter.field_codes or []),
        policy=policy,
        regular_since_priority=regular_calls_since_priority(session, counter.center_id, rules.queue_day(now)),
        now=now,
        limit=PICK_ROWS,
    )
    picked = [by_id[w.id] for w in order]
    names = {code: _field_name(session, code) for code in {t.field_code for t in picked}}
    return [
        PickRow(
            t.id or 0,
            rules.format_number(t.number, t.priority),
            names[t.field_code],
            max(0, int((now - _waiting_since(t.created_at, t.queued_at, t.appointment_id)).total_seconds() // 60)),
            t.priority,
        )
        for t in picked
    ]


def _waiting_since(created: datetime, queued: datetime | None, appointment_id: int | None) -> datetime:
    """When a person's wait began: taking the number, or an appointment's time when they came early."""
    return max(created, queued) if appointment_id and queued else created


# --------------------------------------------------------------------------- figures for the dashboard


@dataclass
class FigureRow:
    """Waiting and service times of one group of tickets: a center, a counter (by number; 0 = never called),
    an hour of the day (when the ticket was first called, or taken if it never was), or all of them."""

    center_id: int = 0
    counter: int = 0
    hour: int = 0
    tickets: int = 0
    served: int = 0
    missed: int = 0
    waiting: int = 0
    avg_wait_min: float = 0.0  # taking the number (an appointment: its time) → first call
    max_wait_min: float = 0.0
    avg_service_min: float = 0.0  # start of service → done, served tickets only


@dataclass
class QueueFigures(FigureRow):
    """One center's day: its totals (the inherited fields) and a row per counter and hour."""

    day: str = ""
    rows: list[FigureRow] = field(default_factory=list)


@dataclass(frozen=True)
class TicketSums:
    """The tickets of one center, counter (by number; 0 = never called) and hour of the day, as sums that add up
    across any grouping: counts, and the minutes waited and served with how many of each there were."""

    center_id: int
    counter: int
    hour: int
    tickets: int
    served: int
    missed: int
    waiting: int
    waits: int
    wait_sum: float
    wait_max: float
    services: int
    service_sum: float


def ticket_sums(session: Session, centers: list[int] | None, first_day: date, last_day: date) -> list[TicketSums]:
    """Every ticket of `centers` (None: all) from `first_day` to `last_day`, summed in the database in one scan by
    center, counter and hour (a few thousand groups for a province; `figure_rows` rolls them up).

    Why the expressions differ by dialect: on PostgreSQL `date_part` and the epoch of one interval are several times
    cheaper per row than `EXTRACT(…)` (numeric) of two moments, and grouping by plain columns (not the counter's
    number through a join) lets the planner hash a handful of groups instead of sorting every row on disk — a
    province's quarter is a few hundred thousand tickets (bench/queue_figures_bench.py)."""
    T = QueueTicket
    postgres = session.get_bind().dialect.name == "postgresql"
    start = sa.case(
        (
            sa.and_(T.appointment_id.is_not(None), T.queued_at.is_not(None), T.queued_at > T.created_at),
            T.queued_at,
        ),
        else_=T.created_at,
    )  # `_waiting_since` in SQL: an appointment waits from its time, not from when its number was printed

    def minutes(later: Any, earlier: Any) -> Any:
        if postgres:
            return sa.extract("epoch", later - earlier) / 60.0
        return (sa.extract("epoch", later) - sa.extract("epoch", earlier)) / 60.0  # STRFTIME('%s', …) on SQLite

    moment = sa.func.coalesce(T.first_called_at, T.created_at)
    hour = sa.func.date_part("hour", moment) if postgres else sa.extract("hour", moment)
    wait = sa.case((T.first_called_at >= start, minutes(T.first_called_at, start)), else_=0.0)
    served = sa.and_(T.status == rules.SERVED, T.serving_at.is_not(None), T.done_at.is_not(None))
    service = sa.case((served, minutes(T.done_at, T.serving_at)), else_=None)
    called = T.first_called_at.is_not(None)
    keys = (T.center_id, T.counter_id, called, hour)
    stmt = (
        sa.select(
            *keys,
            sa.func.count(),
            sa.func.sum(sa.case((T.status == rules.SERVED, 1), else_=0)),
            sa.func.sum(sa.case((T.status == rules.MISSED, 1), else_=0)),
            sa.func.sum(sa.case((T.status == rules.WAITING, 1), else_=0)),
            sa.func.count(T.first_called_at),
            sa.func.sum(sa.case((called, wait), else_=None)),
            sa.func.max(sa.case((called, wait), else_=None)),
            sa.func.count(service),
            sa.func.sum(service),
        )
        .where(T.day >= first_day, T.day <= last_day, *([T.center_id.in_(centers)] if centers is not None else []))
        .group_by(*keys)
    )
    rows = session.execute(stmt).all()
    numbers: dict[int, int] = dict(session.execute(sa.select(Counter.id, Counter.number)).all()) if rows else {}
    return [
        TicketSums(
            int(center_id),
            int(numbers.get(counter_id, 0)) if was_called else 0,  # a transferred number not yet called: nobody's
            int(h),
            int(n),
            int(n_served or 0),
            int(n_missed or 0),
            int(n_waiting or 0),
            int(waits),
            float(wait_sum or 0),
            float(wait_max or 0),
            int(services),
            float(service_sum or 0),
        )
        for center_id, counter_id, was_called, h, n, n_served, n_missed, n_waiting, waits, wait_sum, wait_max, services, service_sum in rows
    ]


def rolled_up(sums: list[TicketSums], by: tuple[str, ...]) -> list[FigureRow]:
    """The sums grouped by the `by` keys ("center", "counter", "hour"; none: one row of totals), in key order."""
    groups: dict[tuple[int, ...], list[TicketSums]] = {}
    for s in sums:
        groups.setdefault(tuple(getattr(s, "center_id" if k == "center" else k) for k in by), []).append(s)
    out = []
    for key, parts in sorted(groups.items()):
        found = dict(zip(by, key, strict=True))
        waits, services = sum(p.waits for p in parts), sum(p.services for p in parts)
        out.append(
            FigureRow(
                found.get("center", 0),
                found.get("counter", 0),
                found.get("hour", 0),
                sum(p.tickets for p in parts),
                sum(p.served for p in parts),
                sum(p.missed for p in parts),
                sum(p.waiting for p in parts),
                round(sum(p.wait_sum for p in parts) / waits, 1) if waits else 0.0,
                round(max((p.wait_max for p in parts if p.waits), default=0.0), 1),
                round(sum(p.service_sum for p in parts) / services, 1) if services else 0.0,
            )
        )
    return out


def figure_rows(
    session: Session, centers: list[int] | None, first_day: date, last_day: date, by: tuple[str, ...]
) -> list[FigureRow]:
    """Ticket counts and times of `centers` (None: all) from `first_day` to `last_day`, one row per value of the
    `by` keys (none: one row of totals; no row when there is no ticket)."""
    return rolled_up(ticket_sums(session, centers, first_day, last_day), by)


def queue_figures(session: Session, center_id: int, day: date) -> QueueFigures:
    """One center's day: totals, then waiting and service times per counter and hour."""
    sums = ticket_sums(session, [center_id], day, day)
    total = next(iter(rolled_up(sums, ())), FigureRow())
    out = QueueFigures(**vars(total), day=day.isoformat())
    out.center_id = center_id
    out.rows = rolled_up(sums, ("counter", "hour"))
    return out
