"""Queue numbers at a center: take a number, call next, recall, skip, transfer, serve, link the dossier.

Why this shape: the rules (who is next, when a ticket lapses, the wait) are in
onestop.domain.queue; here the rows are fetched and claimed. "Call next" must hand
one ticket to one counter even when several counters press at the same moment:
on PostgreSQL each lane's first ticket is read `FOR UPDATE SKIP LOCKED` (a second
counter skips the row the first one holds and takes the next), and the claim is a
conditional `UPDATE … WHERE status = 'waiting'` whose row count is checked — the
safe path on SQLite too, where writers are serialised anyway. Use cases never
commit: the caller wraps them in `with transaction() as s:`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain import queue as rules
from onestop.domain.errors import DomainError, NotFound, PermissionDenied
from onestop.models import Appointment, Center, Counter, Dossier, QueuePolicy, QueueTicket, User
from onestop.services import alerts
from onestop.services.actor import Actor
from onestop.services.codes import next_sequence
from onestop.services.permissions import require_center_scope

KIND_HEADS_UP = "queue_soon"
KIOSK = "kiosk"
#: Candidates read per lane per attempt; a claim lost to another counter moves on to the next one.
CANDIDATES = 5


# --------------------------------------------------------------------------- reference data


#: The policy settings the `queue_policy` row stores as they are (its counter picks are a list there, a tuple
#: in the policy). Why derived: reading and saving a policy both go over this one list, so a new setting is
#: stored and read back alike.
_STORED_AS_IS = tuple(f.name for f in dataclass_fields(rules.Policy) if f.name != "pick_counter_ids")


def policy_for(session: Session, center_id: int) -> rules.Policy:
    row = session.get(QueuePolicy, center_id)
    if row is None:
        return rules.Policy()
    return rules.Policy(
        **{name: getattr(row, name) for name in _STORED_AS_IS}, pick_counter_ids=tuple(row.pick_counter_ids or ())
    )


def set_policy(session: Session, actor: Actor, center_id: int, policy: rules.Policy) -> QueuePolicy:
    """A leader or administrator of the center sets how its queue runs (the Policy validated itself)."""
    if actor.role not in ("leader", "admin"):
        raise PermissionDenied()
    require_center_scope(actor, center_id)
    own = {c.id for c in counters_of(session, center_id)}
    if not set(policy.pick_counter_ids) <= own:
        raise DomainError(
            "bad_pick_counter",
            "Chỉ cho phép chọn số tại các quầy của trung tâm này.",
            "Picking can only be allowed at this center's counters.",
            field="pick_counter_ids",
            status=422,
        )
    row = session.get(QueuePolicy, center_id) or QueuePolicy(center_id=center_id)
    for name in _STORED_AS_IS:
        setattr(row, name, getattr(policy, name))
    row.pick_counter_ids = list(policy.pick_counter_ids)
    session.add(row)
    session.flush()
    return row


def center_by_code(session: Session, code: str) -> Center:
    center = session.exec(select(Center).where(Center.code == (code or "").strip().upper()[:20])).first()
    if center is None or not center.active:
        raise NotFound("Không tìm thấy trung tâm.", "Center not found.", code="center_not_found")
    return center


def counters_of(session: Session, center_id: int) -> list[Counter]:
    return list(session.exec(select(Counter).where(Counter.center_id == center_id).order_by(Counter.number)))


def fields_served(session: Session, center_id: int) -> list[str]:
    """The counter groups people can take a number for: every field some counter of the center serves."""
    seen: list[str] = []
    for counter in counters_of(session, center_id):
        for code in counter.field_codes or []:
            if code not in seen:
                seen.append(code)
    return seen


def counter_label(counter: Counter, lang: str = "vi") -> str:
    return f"quầy số {counter.number}" if lang == "vi" else f"counter {counter.number}"


def _counter_for(session: Session, actor: Actor, counter_id: int) -> Counter:
    if not actor.is_officer:
        raise PermissionDenied()
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise NotFound("Không tìm thấy quầy.", "Counter not found.", code="counter_not_found")
    require_center_scope(actor, counter.center_id)
    return counter


def _ticket_at(session: Session, actor: Actor, ticket_id: int, counter: Counter, *statuses: str) -> QueueTicket:
    ticket = session.get(QueueTicket, ticket_id)
    if ticket is None or ticket.center_id != counter.center_id:
        raise NotFound("Không tìm thấy số thứ tự.", "Ticket not found.", code="ticket_not_found")
    if ticket.status not in statuses or (ticket.status != rules.WAITING and ticket.counter_id != counter.id):
        raise DomainError(
            "ticket_state",
            "Số này không còn ở trạng thái phù hợp — vui lòng tải lại.",
            "This number is no longer in a state that allows this — reload.",
            status=409,
        )
    return ticket


# --------------------------------------------------------------------------- taking a number


def holder_for(actor: Actor | None, device_key: str = "") -> str:
    """Who a number counts against for the daily limit: the account, else the phone's device key."""
    if actor is not None and actor.user_id is not None:
        return f"user:{actor.user_id}"
    key = "".join(ch for ch in (device_key or "") if ch.isalnum() or ch in "-_")[:48]
    if len(key) < 16:
        raise DomainError(
            "device_key",
            "Trình duyệt chưa sẵn sàng — vui lòng tải lại trang.",
            "The browser is not ready yet — reload the page.",
        )
    return f"device:{key}"


def take_number(
    session: Session,
    *,
    center_id: int,
    field_code: str,
    holder: str,
    user_id: int | None = None,
    priority: bool = False,
    now: datetime | None = None,
) -> QueueTicket:
    """Issue today's next number of the center for one counter group; numbers restart every day."""
    now = now or clock.now()
    center = session.get(Center, center_id)
    if center is None or not center.active:
        raise NotFound("Không tìm thấy trung tâm.", "Center not found.", code="center_not_found")
    if field_code not in fields_served(session, center_id):
        raise DomainError(
            "field_not_served",
            "Vui lòng chọn một lĩnh vực trung tâm đang tiếp nhận.",
            "Please choose a field this center receives.",
            field="field_code",
        )
    policy = policy_for(session, center_id)
    day = rules.queue_day(now)
    if holder != KIOSK:
        taken = session.exec(
            select(sa.func.count())
            .select_from(QueueTicket)
            .where(
                QueueTicket.center_id == center_id,
                QueueTicket.day == day,
                QueueTicket.holder == holder,
                QueueTicket.status != rules.CANCELLED,
            )
        ).one()
        rules.check_daily_limit(int(taken), policy)
    ticket = _new_ticket(session, center_id, day, field_code, user_id, holder, now, priority=bool(priority))
    session.flush()
    return ticket


def _new_ticket(
    session: Session,
    center_id: int,
    day: date,
    field_code: str,
    user_id: int | None,
    holder: str,
    now: datetime,
    **extra: Any,
) -> QueueTicket:
    """A waiting ticket with the center's next number of the day and an unguessable token for its holder's link.

    One constructor for a ticket taken in the hall or online and one checked in from an
    appointment, so both get their number and token the same way. `queued_at` (in `extra`)
    defaults to now: an appointment queues at its slot time instead.
    """
    extra.setdefault("queued_at", now)
    ticket = QueueTicket(
        center_id=center_id,
        day=day,
        number=next_sequence(session, f"Q{center_id}", day),
        field_code=field_code,
        user_id=user_id,
        status=rules.WAITING,
        created_at=now,
        token=secrets.token_urlsafe(16),
        holder=holder,
        **extra,
    )
    session.add(ticket)
    return ticket


def ticket_by_token(session: Session, token: str) -> QueueTicket:
    token = (token or "").strip()[:40]
    ticket = session.exec(select(QueueTicket).where(QueueTicket.token == token)).first() if len(token) >= 16 else None
    if ticket is None:
        raise NotFound("Không tìm thấy số thứ tự.", "Ticket not found.", code="ticket_not_found")
    return ticket


def cancel_ticket(session: Session, token: str, now: datetime | None = None) -> QueueTicket:
    """The holder gives the number up (they left); only while still waiting."""
    ticket = ticket_by_token(session, token)
    if ticket.status != rules.WAITING:
        raise DomainError(
            "ticket_state",
            "Số này đã được gọi hoặc đã kết thúc.",
            "This number was already called or is finished.",
            status=409,
        )
    ticket.status, ticket.done_at = rules.CANCELLED, now or clock.now()
    session.add(ticket)
    session.flush()
    return ticket


def check_in(session: Session, actor: Actor, appointment_id: int, now: datetime | None = None) -> QueueTicket:
    """An appointment becomes a ticket on arrival: today, with its slot time as its place in line (so it is
    called first once its time has come). The holder checks in from their phone, or an officer for them."""
    now = now or clock.now()
    appt = session.get(Appointment, appointment_id)
    if appt is None or not (appt.user_id == actor.user_id or actor.is_officer):
        raise NotFound("Không tìm thấy lịch hẹn.", "Appointment not found.", code="appointment_not_found")
    if actor.is_officer:
        require_center_scope(actor, appt.center_id)
    if appt.status != "booked":
        raise DomainError(
            "appointment_state",
            "Lịch hẹn này đã dùng hoặc đã hủy.",
            "This appointment was already used or cancelled.",
            status=409,
        )
    if appt.at.date() != rules.queue_day(now):
        raise DomainError("appointment_not_today", "Lịch hẹn không phải hôm nay.", "This appointment is not today.")
    holder = f"user:{appt.user_id}"
    day = appt.at.date()
    ticket = _new_ticket(
        session,
        appt.center_id,
        day,
        appt.field_code,
        appt.user_id,
        holder,
        now,
        queued_at=appt.at,
        appointment_id=appt.id,
    )
    appt.status = "done"
    session.add(appt)
    session.flush()
    return ticket


# --------------------------------------------------------------------------- calling


@dataclass(frozen=True)
class CallResult:
    ticket: QueueTicket | None
    finished: QueueTicket | None  # the counter's previous ticket this press closed


def regular_calls_since_priority(session: Session, center_id: int, day) -> int:  # noqa: ANN001 - a date
    """Today's regular first calls at the center since its last priority one (appointments do not count)."""
    rows = session.exec(
        select(QueueTicket.priority)
        .where(
            QueueTicket.center_id == center_id,
            QueueTicket.day == day,
            QueueTicket.first_called_at.is_not(None),
            QueueTicket.appointment_id.is_(None),
        )
        .order_by(QueueTicket.first_called_at.desc(), QueueTicket.id.desc())
        .limit(60)
    ).all()
    return rules.regular_since_priority(bool(p) for p in rows)


def _lane_query(center_id: int, day, counter: Counter, lane: str, now: datetime):  # noqa: ANN001, ANN202
    q = select(QueueTicket.id).where(
        QueueTicket.center_id == center_id, QueueTicket.day == day, QueueTicket.status == rules.WAITING
    )
    fields = list(counter.field_codes or [])
    mine = QueueTicket.counter_id == counter.id
    if fields:
        q = q.where(sa.or_(mine, sa.and_(QueueTicket.counter_id.is_(None), QueueTicket.field_code.in_(fields))))
    else:
        q = q.where(sa.or_(mine, QueueTicket.counter_id.is_(None)))
    due_appointment = sa.and_(QueueTicket.appointment_id.is_not(None), QueueTicket.queued_at <= now)
    if lane == rules.APPOINTMENT:
        q = q.where(due_appointment)
    elif lane == rules.PRIORITY:
        q = q.where(sa.not_(due_appointment), QueueTicket.priority.is_(True))
    else:
        q = q.where(sa.not_(due_appointment), QueueTicket.priority.is_(False))
    return q.order_by(QueueTicket.queued_at, QueueTicket.id)


def _claim(session: Session, ticket_id: int, counter: Counter, actor: Actor, now: datetime) -> bool:
    t = QueueTicket.__table__
    result = session.execute(
        sa.update(t)
        .where(t.c.id == ticket_id, t.c.status == rules.WAITING)
        .values(
            status=rules.CALLED,
            counter_id=counter.id,
            officer_id=actor.user_id,
            called_at=now,
            first_called_at=sa.func.coalesce(t.c.first_called_at, now),
            call_count=t.c.call_count + 1,
        )
    )
    return (result.rowcount or 0) == 1


def _close_current(session: Session, counter: Counter, policy: rules.Policy, now: datetime) -> QueueTicket | None:
    """The counter's previous ticket when "call next" is pressed: served if it was being served, otherwise
    the person did not come (back of the line, or lapsed)."""
    current = session.exec(
        select(QueueTicket).where(
            QueueTicket.center_id == counter.center_id,
            QueueTicket.counter_id == counter.id,
            QueueTicket.day == rules.queue_day(now),
            QueueTicket.status.in_([rules.CALLED, rules.SERVING]),
        )
    ).all()
    last = None
    for ticket in current:
        if ticket.status == rules.SERVING:
            ticket.status, ticket.done_at = rules.SERVED, now
        else:
            _no_show(ticket, policy, now)
        session.add(ticket)
        last = ticket
    return last


def _no_show(ticket: QueueTicket, policy: rules.Policy, now: datetime) -> None:
    status = rules.after_no_show(ticket.call_count, policy)
    ticket.status = status
    if status == rules.WAITING:
        ticket.queued_at, ticket.counter_id = now, None
    else:
        ticket.done_at = now


def call_next(session: Session, actor: Actor, counter_id: int, now: datetime | None = None) -> CallResult:
    """The counter's next ticket by the center's rules; never the same ticket to two counters."""
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    policy = policy_for(session, counter.center_id)
    day = rules.queue_day(now)
    finished = _close_current(session, counter, policy, now)
    session.flush()
    postgres = session.get_bind().dialect.name == "postgresql"
    since = regular_calls_since_priority(session, counter.center_id, day)
    for lane in rules.lane_order(policy, since):
        query = _lane_query(counter.center_id, day, counter, lane, now)
        for _attempt in range(4):
            if postgres:
                ids = list(session.exec(query.limit(1).with_for_update(skip_locked=True)).all())
            else:
                ids = list(session.exec(query.limit(CANDIDATES)).all())
            if not ids:
                break
            won = next((i for i in ids if _claim(session, i, counter, actor, now)), None)
            if won is not None:
                ticket = session.get(QueueTicket, won)
                session.refresh(ticket)
                _announce(session, ticket, counter, policy, now)
                return CallResult(ticket, finished)
    return CallResult(None, finished)


def call_ticket(
    session: Session, actor: Actor, counter_id: int, ticket_id: int, now: datetime | None = None
) -> QueueTicket:
    """Pick one ticket from the list — only at counters a leader allowed to (queue_policy.pick_counter_ids)."""
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    policy = policy_for(session, counter.center_id)
    if counter.id not in policy.pick_counter_ids:
        raise DomainError(
            "pick_not_allowed",
            "Quầy này gọi theo thứ tự; lãnh đạo chưa cho phép chọn số.",
            "This counter calls in order; picking a number was not allowed by a leader.",
            status=403,
        )
    taken = session.get(QueueTicket, ticket_id)
    if taken is not None and taken.center_id == counter.center_id and taken.status in (rules.CALLED, rules.SERVING):
        raise _ticket_taken()  # the list was read a moment ago; another counter called it since
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.WAITING)
    if not rules.serves(waiting_of(ticket), counter.id, list(counter.field_codes or [])):
        raise DomainError(
            "ticket_not_here",
            "Số này thuộc lĩnh vực quầy khác phục vụ.",
            "This number is for a field another counter serves.",
            status=409,
        )
    _close_current(session, counter, policy, now)
    session.flush()
    if not _claim(session, ticket_id, counter, actor, now):
        raise _ticket_taken()
    session.refresh(ticket)
    _announce(session, ticket, counter, policy, now)
    return ticket


def _ticket_taken() -> DomainError:
    return DomainError(
        "ticket_taken", "Số này vừa được quầy khác gọi.", "Another counter just called this number.", status=409
    )


def _announce(session: Session, ticket: QueueTicket, counter: Counter, policy: rules.Policy, now: datetime) -> None:
    """The called person's phone (in-app, push, SMS), and a heads-up to those now near the front."""
    if ticket.user_id is not None:
        user = session.get(User, ticket.user_id)
        lang = user.language if user else "vi"
        alerts.notify_queue_called(session, ticket, counter_label(counter, lang))
    if policy.heads_up_at <= 0:
        return
    front = front_of_line(session, ticket.center_id, ticket.day, ticket.field_code, now, policy.heads_up_at + 1)
    for ahead, row in enumerate(front):
        if row.user_id is None or row.heads_up_sent:
            continue
        if rules.heads_up_due(ahead, policy):
            user = session.get(User, row.user_id)
            if user is not None and user.active:
                alerts.notify_user(
                    session,
                    user,
                    kind=KIND_HEADS_UP,
                    text_key="queue.soon",
                    params={"number": rules.format_number(row.number, row.priority), "ahead": ahead},
                    url=f"/ticket?t={row.token}",
                    dedupe_key=f"{KIND_HEADS_UP}:{row.id}",
                    sms=True,
                )
            row.heads_up_sent = True
            session.add(row)


def _lane_rank(now: datetime):  # noqa: ANN202 - a SQL expression
    """The people-ahead order of domain.queue in SQL: due appointments 0, priority 1, others 2."""
    due = sa.and_(QueueTicket.appointment_id.is_not(None), QueueTicket.queued_at <= now)
    return sa.case((due, 0), (QueueTicket.priority.is_(True), 1), else_=2)


def front_of_line(
    session: Session,
    center_id: int,
    day,
    field_code: str,
    now: datetime,  # noqa: ANN001
    limit: int,
) -> list[QueueTicket]:
    """The first `limit` waiting tickets of a counter group, in the order domain.queue.people_ahead counts."""
    rank = _lane_rank(now)
    return list(
        session.exec(
            select(QueueTicket)
            .where(
                QueueTicket.center_id == center_id,
                QueueTicket.day == day,
                QueueTicket.status == rules.WAITING,
                QueueTicket.field_code == field_code,
            )
            .order_by(rank, QueueTicket.queued_at, QueueTicket.id)
            .limit(limit)
        )
    )


def ahead_count(session: Session, ticket: QueueTicket, now: datetime) -> int:
    """domain.queue.people_ahead as one indexed COUNT (a phone polls it every few seconds)."""
    mine = {rules.APPOINTMENT: 0, rules.PRIORITY: 1, rules.NORMAL: 2}[rules.lane_of(waiting_of(ticket), now)]
    rank = _lane_rank(now)
    queued = ticket.queued_at or ticket.created_at
    before = sa.or_(
        rank < mine,
        sa.and_(
            rank == mine,
            sa.or_(
                QueueTicket.queued_at < queued, sa.and_(QueueTicket.queued_at == queued, QueueTicket.id < ticket.id)
            ),
        ),
    )
    return int(
        session.exec(
            select(sa.func.count())
            .select_from(QueueTicket)
            .where(
                QueueTicket.center_id == ticket.center_id,
                QueueTicket.day == ticket.day,
                QueueTicket.status == rules.WAITING,
                QueueTicket.field_code == ticket.field_code,
                QueueTicket.id != ticket.id,
                before,
            )
        ).one()
    )


def waiting_of(t: QueueTicket) -> rules.Waiting:
    """A ticket as the pure lane rules see it (domain.queue)."""
    return rules.Waiting(
        id=t.id,
        queued_at=t.queued_at or t.created_at,
        field_code=t.field_code,
        priority=t.priority,
        appointment=t.appointment_id is not None,
        counter_id=t.counter_id,
    )


def recall(session: Session, actor: Actor, counter_id: int, ticket_id: int, now: datetime | None = None) -> QueueTicket:
    """Call the same number again (the display and the phone repeat it) — up to the center's limit."""
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    policy = policy_for(session, counter.center_id)
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.CALLED)
    if not rules.can_recall(ticket.call_count, policy):
        raise DomainError(
            "max_calls",
            f"Đã gọi số này {ticket.call_count} lần — hãy bỏ qua.",
            f"This number was called {ticket.call_count} times — skip it.",
            status=409,
        )
    ticket.call_count += 1
    ticket.called_at = now
    session.add(ticket)
    session.flush()
    if ticket.user_id is not None:
        user = session.get(User, ticket.user_id)
        alerts.notify_queue_called(session, ticket, counter_label(counter, user.language if user else "vi"))
    return ticket


def skip(session: Session, actor: Actor, counter_id: int, ticket_id: int, now: datetime | None = None) -> QueueTicket:
    """The person did not come: back to the end of the line, or lapsed after the center's number of calls."""
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.CALLED)
    _no_show(ticket, policy_for(session, counter.center_id), now)
    session.add(ticket)
    session.flush()
    return ticket


def transfer(session: Session, actor: Actor, counter_id: int, ticket_id: int, to_counter_id: int) -> QueueTicket:
    """Send the person to another counter of the center: first in its line (they keep their place)."""
    counter = _counter_for(session, actor, counter_id)
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.CALLED, rules.SERVING)
    target = session.get(Counter, to_counter_id)
    if target is None or target.center_id != counter.center_id or target.id == counter.id:
        raise DomainError(
            "bad_counter",
            "Vui lòng chọn một quầy khác của trung tâm.",
            "Please choose another counter of this center.",
            field="to_counter",
        )
    ticket.status, ticket.counter_id, ticket.serving_at = rules.WAITING, target.id, None
    session.add(ticket)
    session.flush()
    return ticket


def start_serving(
    session: Session, actor: Actor, counter_id: int, ticket_id: int, now: datetime | None = None
) -> QueueTicket:
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.CALLED)
    ticket.status, ticket.serving_at, ticket.officer_id = rules.SERVING, now, actor.user_id
    session.add(ticket)
    session.flush()
    return ticket


def finish(
    session: Session, actor: Actor, counter_id: int, ticket_id: int, dossier_code: str = "", now: datetime | None = None
) -> QueueTicket:
    """Done with the person; with the code of the dossier received for them, the ticket links to it."""
    now = now or clock.now()
    counter = _counter_for(session, actor, counter_id)
    ticket = _ticket_at(session, actor, ticket_id, counter, rules.SERVING)
    code = (dossier_code or "").strip().upper()[:40]
    if code:
        link_dossier(session, actor, ticket, code)
    ticket.status, ticket.done_at = rules.SERVED, now
    session.add(ticket)
    session.flush()
    return ticket


def link_dossier(session: Session, actor: Actor, ticket: QueueTicket, code: str) -> Dossier:
    dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
    if dossier is None or dossier.handling_center_id != ticket.center_id:
        raise DomainError(
            "dossier_not_found",
            "Không tìm thấy hồ sơ này tại trung tâm.",
            "No such dossier at this center.",
            field="dossier_code",
        )
    require_center_scope(actor, dossier.handling_center_id)
    ticket.dossier_id = dossier.id
    session.add(ticket)
    return dossier


def close_day(session: Session, before: datetime | None = None) -> int:
    """Numbers restart every day: whatever was left open on earlier days is closed as missed."""
    today = rules.queue_day(before or clock.now())
    t = QueueTicket.__table__
    result = session.execute(
        sa.update(t).where(t.c.day < today, t.c.status.in_(rules.OPEN_STATUSES)).values(status=rules.MISSED)
    )
    return int(result.rowcount or 0)
