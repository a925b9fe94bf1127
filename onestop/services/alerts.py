"""Deadline alerts, reminders and the notification centre (the bell).

Why one module: every alert, reminder and citizen notice becomes a
`Notification` row (the in-app centre, and the push queue that
onestop.services.push drains) whose unique `dedupe_key` makes it exactly-once:
reruns, restarts and two workers racing all end up with one row per (what
happened, to whom). Citizen notices also go to the SMS/email outbox
(onestop.adapters.messaging), but only from the transaction that actually
inserted the row, so a lost race never texts twice.

The scans are index-driven (see the indexes named in each query); Python only
walks the rows a query returned — never the dossier table — to pick recipients
and words in each recipient's language.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain.calendar import WorkingCalendar
from onestop.domain.lifecycle import CLOCK_RUNNING, Role, Status
from onestop.i18n import normalise_lang, t
from onestop.models import Appointment, Center, Dossier, Notification, Procedure, QueueTicket, User
from onestop.read.format import fmt_day, fmt_moment, fmt_time
from onestop.services.calendar import load_calendar
from onestop.services.notify import Outgoing, insert_notifications, known_keys, notice_texts
from onestop.settings import get_settings

log = logging.getLogger(__name__)

KIND_DUE_SOON = "alert.due_soon"
KIND_OVERDUE = "alert.overdue"
KIND_ESCALATION = "alert.escalation"
KIND_SUPPLEMENT = "alert.supplement_expired"
KIND_DIGEST = "digest"
KIND_APPOINTMENT = "reminder.appointment"
KIND_QUEUE = "queue_called"

#: Reminders and digests are not sent at night (SMS at 23:00 is unkind; the digest is for the morning).
REMINDER_HOURS = (time(7, 0), time(20, 0))
DIGEST_HOURS = (time(7, 0), time(12, 0))


def _stamp(value: datetime | None) -> str:
    """The moment inside dedupe keys: a new due date is a new alert, the same one never is."""
    return value.strftime("%Y%m%d%H%M") if value else "none"


# --------------------------------------------------------------------------- writing notifications

# `Outgoing` and `insert_notifications` live in services/notify.py: the one notification insert.


def notify_user(
    session: Session,
    user: User,
    *,
    kind: str,
    text_key: str,
    params: dict[str, Any],
    url: str,
    dedupe_key: str,
    dossier_id: int | None = None,
    sms: bool = True,
) -> bool:
    """One notice to one person in their language, in-app + push (+ SMS/email), inside the caller's transaction."""
    title, body = notice_texts(text_key, normalise_lang(user.language), **params)
    phone, email = (user.phone, user.email) if sms else ("", "")
    item = Outgoing(user.id, kind, title, body, url, dedupe_key, dossier_id, phone, email)
    return bool(insert_notifications(session, [item]))


# --------------------------------------------------------------------------- recipients


@dataclass(frozen=True)
class Person:
    id: int
    language: str


@dataclass
class _Staff:
    """Officers of the centers a scan touches, loaded with one query per scan."""

    by_id: dict[int, Person] = field(default_factory=dict)
    by_center_role: dict[tuple[int, str], list[Person]] = field(default_factory=lambda: defaultdict(list))
    province_admins: list[Person] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, center_ids: set[int], user_ids: set[int], admins: bool) -> _Staff:
        staff = cls()
        # one indexed query per kind of recipient (an OR of them would scan every account)
        conditions = []
        if center_ids:
            conditions.append(
                sa.and_(User.center_id.in_(sorted(center_ids)), User.role.in_([Role.RECEIVER.value, Role.LEADER.value]))
            )
        if user_ids:
            conditions.append(User.id.in_(sorted(user_ids)))
        if admins:
            conditions.append(sa.and_(User.role == Role.ADMIN.value, User.center_id.is_(None)))
        rows: dict[int, tuple] = {}
        for condition in conditions:
            for row in session.exec(
                select(User.id, User.role, User.center_id, User.language).where(User.active.is_(True), condition)
            ):
                rows[row[0]] = tuple(row)
        for uid, role, center_id, lang in (rows[k] for k in sorted(rows)):
            person = Person(uid, normalise_lang(lang))
            staff.by_id[uid] = person
            if center_id is not None:
                staff.by_center_role[(center_id, role)].append(person)
            elif role == Role.ADMIN.value:
                staff.province_admins.append(person)
        return staff

    def handlers(self, assignee_id: int | None, center_id: int) -> list[Person]:
        """Who acts on the dossier now: its assignee, or the center's one-stop officers while unassigned."""
        if assignee_id is not None and assignee_id in self.by_id:
            return [self.by_id[assignee_id]]
        return list(self.by_center_role.get((center_id, Role.RECEIVER.value), []))

    def leaders(self, center_id: int) -> list[Person]:
        return list(self.by_center_role.get((center_id, Role.LEADER.value), []))


def _unique(people: Iterable[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for p in people:
        seen.setdefault(p.id, p)
    return list(seen.values())


# --------------------------------------------------------------------------- the deadline scan


@dataclass
class ScanReport:
    """What one deadline scan found and how many new alerts it created (reruns create 0)."""

    due_soon_dossiers: int = 0
    overdue_dossiers: int = 0
    supplement_dossiers: int = 0
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


_SCAN_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.due_at,
    Dossier.assignee_id,
    Dossier.handling_center_id,
    Dossier.apology_issued_at,
)


def _clock_running() -> sa.ColumnElement[bool]:
    """SQL of domain.deadlines.clock_is_running: status 2 or 4 and no pause recorded (a paused dossier is never
    due-soon or late, as in the inbox's `late_condition`)."""
    return sa.and_(Dossier.status.in_(sorted(int(s) for s in CLOCK_RUNNING)), Dossier.paused_at.is_(None))


def due_soon_query(now: datetime, limit: datetime) -> sa.Select:
    """Clock running and due within [now, limit] — a range on ix_dossier_due_scan (status, due_at). "Running" is
    the one rule of domain.deadlines.clock_is_running: status 2/4 and no pause recorded."""
    return (
        select(*_SCAN_COLUMNS)
        .where(_clock_running(), Dossier.due_at >= now, Dossier.due_at <= limit)
        .order_by(Dossier.id)
    )


def overdue_query(now: datetime) -> sa.Select:
    """Late by the one rule the inbox and dashboard use (domain.deadlines.is_late: clock running, due before now)."""
    return select(*_SCAN_COLUMNS).where(_clock_running(), Dossier.due_at < now).order_by(Dossier.id)


def supplement_query(now: datetime) -> sa.Select:
    """Supplement requested, its deadline passed, nothing provided — ix_dossier_supplement_scan."""
    provided = Dossier.supplement_request["provided"].as_boolean()
    return (
        select(Dossier.id, Dossier.code, Dossier.supplement_deadline, Dossier.assignee_id, Dossier.handling_center_id)
        .where(
            Dossier.status == int(Status.SUPPLEMENT),
            Dossier.supplement_deadline < now,
            sa.or_(provided.is_(None), provided.is_(False)),
        )
        .order_by(Dossier.id)
    )


def _officer_url(code: str | None) -> str:
    return f"/officer/dossiers/{code}" if code else "/officer"


@dataclass(frozen=True)
class _Plan:
    """An alert the scan would send, before its texts are written (see scan_deadlines)."""

    args: tuple[Person, str, str, int, str | None]
    params: dict[str, Any]

    @property
    def dedupe_key(self) -> str:
        person, _kind, key = self.args[:3]
        return _dedupe_key(key, person)


def _planned(person: Person, kind: str, key: str, dossier_id: int, code: str | None, **params: Any) -> _Plan:
    return _Plan((person, kind, key, dossier_id, code), params)


def _dedupe_key(key: str, person: Person) -> str:
    return f"{key}:{person.id}"


def _alert(person: Person, kind: str, key: str, dossier_id: int, code: str | None, **params: Any) -> Outgoing:
    lang = person.language
    params = {k: fmt_moment(v) if isinstance(v, datetime) else v for k, v in params.items()}
    title, body = notice_texts(f"alert.{kind.removeprefix('alert.')}", lang, code=code or "", **params)
    if params.get("apology_prompt"):
        body += " " + t("alert.apology_prompt", lang)
    return Outgoing(
        user_id=person.id,
        kind=kind,
        title=title,
        body=body,
        url=_officer_url(code),
        dedupe_key=_dedupe_key(key, person),
        dossier_id=dossier_id,
    )


def scan_deadlines(session: Session, *, now: datetime | None = None, escalation_days: int | None = None) -> ScanReport:
    """Create the deadline alerts that are due now, each exactly once. One transaction.

    - due within one working day (`is_due_soon`) → whoever acts next (assignee,
      or the center's one-stop officers while unassigned);
    - overdue → the same people and the center's leaders, with the prompt to
      issue the apology letter while none was issued;
    - overdue by more than N working days (setting) → the province admins;
    - supplement deadline passed, nothing provided → whoever acts next, to
      close the dossier as not accepted or extend.

    Each key holds the due moment, so a new due date (apology, restart after a
    supplement) alerts again while the same one never does.
    """
    now = now or clock.now()
    n_days = get_settings().escalation_overdue_working_days if escalation_days is None else escalation_days
    cal = load_calendar(session)
    report = ScanReport()
    soon = session.exec(due_soon_query(now, cal.add_working_days(now, 1))).all()
    late = session.exec(overdue_query(now)).all()
    supp = session.exec(supplement_query(now)).all()
    report.due_soon_dossiers, report.overdue_dossiers, report.supplement_dossiers = len(soon), len(late), len(supp)
    if not (soon or late or supp):
        session.flush()
        return report

    escalate_before = _escalation_test(cal, now, n_days)
    escalated = [row for row in late if escalate_before(row.due_at)] if n_days >= 0 else []
    staff = _Staff.load(
        session,
        center_ids={r.handling_center_id for r in (*soon, *late, *supp)},
        user_ids={r.assignee_id for r in (*soon, *late, *supp) if r.assignee_id is not None},
        admins=bool(escalated),
    )
    centers = (
        {
            cid: name
            for cid, name in session.exec(
                select(Center.id, Center.name).where(Center.id.in_(sorted({r.handling_center_id for r in escalated})))
            )
        }
        if escalated
        else {}
    )

    items: list[_Plan] = []
    for row in soon:
        key = f"{KIND_DUE_SOON}:{row.id}:{_stamp(row.due_at)}"
        for person in staff.handlers(row.assignee_id, row.handling_center_id):
            items.append(_planned(person, KIND_DUE_SOON, key, row.id, row.code, due=row.due_at))
    for row in late:
        key = f"{KIND_OVERDUE}:{row.id}:{_stamp(row.due_at)}"
        people = _unique(
            [*staff.handlers(row.assignee_id, row.handling_center_id), *staff.leaders(row.handling_center_id)]
        )
        for person in people:
            items.append(
                _planned(
                    person,
                    KIND_OVERDUE,
                    key,
                    row.id,
                    row.code,
                    due=row.due_at,
                    apology_prompt=row.apology_issued_at is None,
                )
            )
    for row in escalated:
        key = f"{KIND_ESCALATION}:{row.id}:{_stamp(row.due_at)}"
        for person in staff.province_admins:
            items.append(
                _planned(
                    person,
                    KIND_ESCALATION,
                    key,
                    row.id,
                    row.code,
                    due=row.due_at,
                    days=n_days,
                    center=centers.get(row.handling_center_id, ""),
                )
            )
    for row in supp:
        key = f"{KIND_SUPPLEMENT}:{row.id}:{_stamp(row.supplement_deadline)}"
        for person in staff.handlers(row.assignee_id, row.handling_center_id):
            items.append(_planned(person, KIND_SUPPLEMENT, key, row.id, row.code, deadline=row.supplement_deadline))
    # Texts are written only for alerts not sent yet: on the every-5-minutes rerun nearly all were, and writing
    # thousands of bilingual texts to throw them away was most of its time at 1M dossiers.
    known = known_keys(session, [plan.dedupe_key for plan in items])
    fresh = [_alert(*plan.args, **plan.params) for plan in items if plan.dedupe_key not in known]
    for item in insert_notifications(session, fresh, now):
        report.created[item.kind] += 1
    session.flush()
    return report


def _escalation_test(cal: WorkingCalendar, now: datetime, n_days: int):
    """`due -> True` when now is past the due moment plus N working days (memoised per due moment)."""
    memo: dict[datetime, bool] = {}

    def test(due: datetime) -> bool:
        if due not in memo:
            memo[due] = now > cal.add_working_days(due, n_days)
        return memo[due]

    return test


# --------------------------------------------------------------------------- reminders and digests


def _in_hours(now: datetime, hours: tuple[time, time]) -> bool:
    return hours[0] <= now.time() < hours[1]


def send_appointment_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Remind each booked appointment of tomorrow once, in the person's language, on every channel. One transaction.

    Runs every half hour in daytime rather than once at a fixed minute, so a
    restart or a missed run still reminds everyone; the dedupe key makes it once.
    """
    now = now or clock.now()
    if not _in_hours(now, REMINDER_HOURS):
        return 0
    start = datetime.combine(now.date() + timedelta(days=1), time(0, 0))
    rows = session.exec(
        select(Appointment, User, Center.name)
        .join(User, User.id == Appointment.user_id)
        .join(Center, Center.id == Appointment.center_id)
        .where(
            Appointment.status == "booked",
            Appointment.at >= start,
            Appointment.at < start + timedelta(days=1),
            User.active.is_(True),
        )
        .order_by(Appointment.id)
    ).all()
    if not rows:
        session.flush()
        return 0
    codes = sorted({a.procedure_code for a, _, _ in rows})
    names = {
        code: (vi, en)
        for code, vi, en in session.exec(
            select(Procedure.code, Procedure.name_vi, Procedure.name_en).where(
                Procedure.code.in_(codes), Procedure.is_current.is_(True)
            )
        )
    }
    items = []
    for appt, user, center_name in rows:
        lang = normalise_lang(user.language)
        vi, en = names.get(appt.procedure_code, (appt.procedure_code, appt.procedure_code))
        params = {
            "time": fmt_time(appt.at),
            "date": fmt_day(appt.at),
            "center": center_name,
            "procedure": en if lang == "en" else vi,
        }
        title, body = notice_texts(KIND_APPOINTMENT, lang, **params)
        items.append(
            Outgoing(
                user_id=user.id,
                kind=KIND_APPOINTMENT,
                title=title,
                body=body,
                url="/my",
                dedupe_key=f"{KIND_APPOINTMENT}:{appt.id}:{_stamp(appt.at)}",
                phone=user.phone,
                email=user.email,
            )
        )
    created = len(insert_notifications(session, items, now))
    session.flush()
    return created


def send_daily_digests(session: Session, *, now: datetime | None = None) -> int:
    """Each officer's morning summary of what is due today and what is already late, once a working day.

    One grouped query over ix_dossier_due_scan (clock running, due before
    tomorrow); dossiers nobody is assigned to count for the center's one-stop
    officers. One transaction.
    """
    now = now or clock.now()
    cal = load_calendar(session)
    if not cal.is_working_day(now.date()) or not _in_hours(now, DIGEST_HOURS):
        return 0
    today = now.date()
    tomorrow = datetime.combine(today + timedelta(days=1), time(0, 0))
    midnight = datetime.combine(today, time(0, 0))
    late = sa.func.sum(sa.case((Dossier.due_at < midnight, 1), else_=0))
    rows = session.exec(
        select(Dossier.assignee_id, Dossier.handling_center_id, sa.func.count(), late)
        .where(_clock_running(), Dossier.due_at < tomorrow)
        .group_by(Dossier.assignee_id, Dossier.handling_center_id)
    ).all()
    if not rows:
        session.flush()
        return 0
    staff = _Staff.load(session, center_ids={r[1] for r in rows}, user_ids={r[0] for r in rows if r[0]}, admins=False)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    people: dict[int, Person] = {}
    for assignee_id, center_id, count, overdue in rows:
        for person in staff.handlers(assignee_id, center_id):
            people[person.id] = person
            totals[person.id][0] += int(count) - int(overdue or 0)
            totals[person.id][1] += int(overdue or 0)
    items = []
    for uid in sorted(totals):
        due_today, overdue = totals[uid]
        lang = people[uid].language
        params = {
            "count": due_today + overdue,
            "due_today": due_today,
            "overdue": overdue,
            "date": fmt_day(today),
        }
        title, body = notice_texts("digest", lang, **params)
        items.append(
            Outgoing(
                user_id=uid,
                kind=KIND_DIGEST,
                title=title,
                body=body,
                url="/officer",
                dedupe_key=f"{KIND_DIGEST}:{uid}:{today:%Y%m%d}",
            )
        )
    created = len(insert_notifications(session, items, now))
    session.flush()
    return created


def notify_queue_called(session: Session, ticket: QueueTicket, counter_label: str) -> bool:
    """Tell the ticket's owner their number is called — in-app, push (10-minute TTL) and SMS, for someone
    waiting outside the hall. In the caller's transaction; the counter service commits."""
    if ticket.user_id is None:
        return False
    user = session.get(User, ticket.user_id)
    if user is None or not user.active:
        return False
    return notify_user(
        session,
        user,
        kind=KIND_QUEUE,
        text_key="queue.called",
        params={"number": ticket.number, "counter": counter_label},
        url="/ticket",
        dedupe_key=f"{KIND_QUEUE}:{ticket.id}:{_stamp(ticket.called_at)}",
    )


# --------------------------------------------------------------------------- the bell


@dataclass(frozen=True)
class InboxItem:
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.exec(
            select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        ).one()
    )


def latest(session: Session, user_id: int, limit: int = 20) -> list[InboxItem]:
    """A person's newest notifications (ix_notification_user_created)."""
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [InboxItem(n.id, n.kind, n.title, n.body, n.url, n.created_at, n.read_at is not None) for n in rows]


def mark_read(session: Session, user_id: int, ids: Sequence[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read. One transaction; returns how many changed."""
    stmt = sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        if not ids:
            return 0
        stmt = stmt.where(Notification.id.in_(list(ids)))
    count = session.execute(stmt.values(read_at=clock.now())).rowcount or 0
    session.flush()
    return int(count)


__all__ = [
    "InboxItem",
    "Outgoing",
    "ScanReport",
    "insert_notifications",
    "latest",
    "mark_read",
    "notify_queue_called",
    "notify_user",
    "scan_deadlines",
    "send_appointment_reminders",
    "send_daily_digests",
    "unread_count",
]


# --------------------------------------------------------------------------- reception deadline (issue 15)

KIND_RECEPTION = "alert.reception_overdue"


def scan_reception_deadlines(session: Session, *, now: datetime | None = None) -> int:
    """Alert the receiving center's one-stop officers (and leaders) once per dossier waiting past the reception
    deadline (domain/reception, setting ONESTOP_RECEPTION_DEADLINE_HOURS). The caller commits."""
    from onestop.read.reception import reception_overdue_rows  # the read side imports services.calendar

    now = now or clock.now()
    rows = reception_overdue_rows(session, now)
    if not rows:
        return 0
    hours = get_settings().reception_deadline_hours
    staff = _Staff.load(session, center_ids={r.receiving_center_id for r in rows}, user_ids=set(), admins=False)
    items: list[Outgoing] = []
    for row in rows:
        key = f"{KIND_RECEPTION}:{row.id}:{_stamp(row.submitted_at)}"
        for person in _unique(
            [*staff.handlers(None, row.receiving_center_id), *staff.leaders(row.receiving_center_id)]
        ):
            items.append(
                _alert(
                    person,
                    KIND_RECEPTION,
                    key,
                    row.id or 0,
                    row.code,
                    submitted=fmt_moment(row.submitted_at),
                    hours=f"{hours:g}",
                )
            )
    return len(insert_notifications(session, items, now))
