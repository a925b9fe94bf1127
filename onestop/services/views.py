"""Read-only queries behind the pages: each takes a Session and (where private) an Actor.

Why a separate module: pages need lists and counts shaped for display (both
languages side by side, dates already formatted, the deadline colour already
decided), and the SQL for them must stay out of the Reflex states so it can be
tested without a browser and tuned in one place. Nothing here writes.

Rows are plain dataclasses so Reflex can keep them in state and the tests can
compare them; every label comes in Vietnamese and English so switching the
language in the browser needs no round trip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select

from onestop.domain.calendar import WorkingCalendar
from onestop.domain.deadlines import deadline_colour
from onestop.domain.lifecycle import CLOCK_RUNNING, Role, Status, is_terminal, status_label
from onestop.domain.text import fold, tokens
from onestop.i18n import t
from onestop.models import Center, Dossier, Procedure, ProcedureField, Resident, SupportVisit, User
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.dossiers import duration_for
from onestop.services.permissions import require_role

#: How many recent dossiers a landing page lists.
RECENT_LIMIT = 20
DASHBOARD_DAYS = 90


# --------------------------------------------------------------------------- formatting


def fmt_moment(value: datetime | None) -> str:
    """Vietnamese order (time, then day/month/year): readable in both languages."""
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_day(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_money(amount: int, lang: str) -> str:
    """8.000 đồng / 8,000 VND."""
    if lang == "en":
        return f"{amount:,} VND"
    return f"{amount:,}".replace(",", ".") + " đồng"


def fmt_pct(numerator: int, denominator: int) -> tuple[float, str, str]:
    """(percent, Vietnamese text, English text); percent is -1 with no data, so the UI can say so."""
    if denominator <= 0:
        return -1.0, "—", "—"
    pct = round(100.0 * numerator / denominator, 1)
    text = f"{pct:.1f}".rstrip("0").rstrip(".")
    return pct, text.replace(".", ",") + " %", text + " %"


# --------------------------------------------------------------------------- public catalog


@dataclass
class ProcedureRow:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    duration_vi: str = ""
    duration_en: str = ""
    fee_vi: str = ""
    fee_en: str = ""
    level: str = ""


@dataclass
class FieldGroup:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    icon: str = "file-text"
    count: int = 0
    procedures: list[ProcedureRow] = field(default_factory=list)


def _procedure_row(proc: Procedure) -> ProcedureRow:
    duration = duration_for(proc, "direct")
    if proc.fee_amount or proc.fee_text:
        amount_vi = fmt_money(proc.fee_amount, "vi") if proc.fee_amount else t("fee.free", "vi")
        amount_en = fmt_money(proc.fee_amount, "en") if proc.fee_amount else t("fee.free", "en")
        # The verbatim text is the legal one (exemptions live there): show it as written.
        fee_vi = proc.fee_text or amount_vi
        fee_en = f"{amount_en} — {proc.fee_text}" if proc.fee_text else amount_en
    else:
        fee_vi, fee_en = t("fee.free", "vi"), t("fee.free", "en")
    return ProcedureRow(code=proc.code, name_vi=proc.name_vi, name_en=proc.name_en,
                        duration_vi=duration.label("vi"), duration_en=duration.label("en"),
                        fee_vi=fee_vi, fee_en=fee_en, level=proc.level)


def _current_procedures():  # noqa: ANN202 - a select() whose type is long to spell
    return select(Procedure).where(Procedure.is_current.is_(True))


def _matches(proc: Procedure, words: list[str]) -> bool:
    """Every folded query word appears in the folded names or the code ("dang ky khai sinh" finds
    "Đăng ký khai sinh"). The ranked search (domain/text.SearchIndex) replaces this when it is wired."""
    haystack = f"{fold(proc.name_vi)} {fold(proc.name_en)} {proc.code}"
    return all(word in haystack for word in words)


def procedure_catalog(session: Session, query: str = "") -> list[FieldGroup]:
    """Current procedures grouped by field (fields in catalog order, procedures most used first),
    narrowed to those matching `query` when one is given."""
    procs = session.exec(_current_procedures().order_by(Procedure.popularity.desc(), Procedure.name_vi)).all()
    words = tokens(query)
    fields = session.exec(select(ProcedureField).order_by(ProcedureField.id)).all()
    if words:
        # Every word present wins; with none, the typo-tolerant ranked search answers ("khai sihn").
        # Either way the best match comes first, and its field's group leads.
        rank = _search_rank(session, query)
        exact = [p for p in procs if _matches(p, words)]
        procs = exact or [p for p in procs if p.code in rank]
        procs = sorted(procs, key=lambda p: rank.get(p.code, len(rank)))
        first = {}
        for i, proc in enumerate(procs):
            first.setdefault(proc.field_id, i)
        fields = sorted((f for f in fields if f.id in first), key=lambda f: first[f.id])
    by_field: dict[int, list[ProcedureRow]] = {}
    for proc in procs:
        by_field.setdefault(proc.field_id, []).append(_procedure_row(proc))
    return [FieldGroup(code=f.code, name_vi=f.name_vi, name_en=f.name_en, icon=f.icon or "file-text",
                       count=len(by_field[f.id]), procedures=by_field[f.id])
            for f in fields if f.id in by_field]


def _search_rank(session: Session, query: str, cutoff: float = 0.35) -> dict[str, int]:
    """Procedure code → rank from the search index, weak tail matches (< cutoff × best) dropped."""
    from onestop.services.search import search_procedures  # the index module imports nothing from here

    hits = search_procedures(session, query, limit=50)
    best = hits[0].score if hits else 0.0
    return {h.code: i for i, h in enumerate(h for h in hits if h.score >= best * cutoff)}


def field_summaries(session: Session) -> list[FieldGroup]:
    """Fields with how many current procedures each has (home page tiles), without the rows."""
    counts = dict(session.exec(
        select(Procedure.field_id, func.count()).where(Procedure.is_current.is_(True)).group_by(Procedure.field_id)
    ).all())
    fields = session.exec(select(ProcedureField).order_by(ProcedureField.id)).all()
    return [FieldGroup(code=f.code, name_vi=f.name_vi, name_en=f.name_en, icon=f.icon or "file-text",
                       count=counts.get(f.id, 0)) for f in fields if counts.get(f.id)]


def popular_procedures(session: Session, limit: int = 6) -> list[ProcedureRow]:
    procs = session.exec(_current_procedures().order_by(Procedure.popularity.desc(), Procedure.name_vi).limit(limit))
    return [_procedure_row(p) for p in procs.all()]


# --------------------------------------------------------------------------- dossier rows


@dataclass
class DossierRow:
    id: int = 0
    code: str = ""
    procedure_vi: str = ""
    procedure_en: str = ""
    applicant: str = ""
    status: int = 0
    status_vi: str = ""
    status_en: str = ""
    channel: str = ""
    submitted: str = ""
    due: str = ""
    colour: str = ""  # deadline_colour() while the deadline matters (green|amber|red|grey), else ""


def _dossier_rows(session: Session, stmt, now: datetime, cal: WorkingCalendar | None = None) -> list[DossierRow]:  # noqa: ANN001
    """Run `stmt` (a select of Dossier joined to Procedure names) and shape the rows."""
    cal = cal or load_calendar(session)
    rows = []
    for dossier, name_vi, name_en in session.exec(stmt).all():
        paused = dossier.paused_at is not None or dossier.status not in CLOCK_RUNNING
        # Once the result is ready or the dossier has ended, the clock is no longer a warning.
        finished = dossier.status == Status.RESULT_READY or is_terminal(dossier.status)
        rows.append(DossierRow(
            id=dossier.id or 0,
            code=dossier.code or dossier.provisional_code or "",
            procedure_vi=name_vi, procedure_en=name_en, applicant=dossier.applicant_name,
            status=dossier.status, status_vi=status_label(dossier.status, "vi"),
            status_en=status_label(dossier.status, "en"), channel=dossier.channel,
            submitted=fmt_moment(dossier.submitted_at or dossier.created_at), due=fmt_moment(dossier.due_at),
            colour="" if finished or dossier.due_at is None else deadline_colour(now, dossier.due_at, cal, paused),
        ))
    return rows


def _with_names():  # noqa: ANN202
    return select(Dossier, Procedure.name_vi, Procedure.name_en).join(Procedure, Procedure.id == Dossier.procedure_id)


#: Statuses in which an unpaid fee no longer asks anything of the person (refused, withdrawn, stopped, returned).
TERMINAL_FOR_FEES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


def citizen_dossiers(session: Session, actor: Actor, now: datetime, limit: int = 100) -> list[DossierRow]:
    """The dossiers a citizen filed or that were filed for them, newest first."""
    require_role(actor, [Role.CITIZEN])
    # what needs the person's action comes first: a supplement to provide, a fee to pay (then newest first)
    action_needed = sa.case((Dossier.status == Status.SUPPLEMENT, 0),
                            (sa.and_(Dossier.fee_status == "unpaid", Dossier.fee_amount > 0,
                                     Dossier.status.notin_([int(s) for s in TERMINAL_FOR_FEES])), 0), else_=1)
    stmt = (_with_names()
            .where(or_(Dossier.applicant_user_id == actor.user_id, Dossier.acting_user_id == actor.user_id))
            .order_by(action_needed, Dossier.created_at.desc(), Dossier.id.desc()).limit(limit))
    return _dossier_rows(session, stmt, now)


def _overdue(now: datetime):  # noqa: ANN202
    """Overdue is derived, not a status: the clock runs (2, 4) and the due moment has passed."""
    return sa.and_(Dossier.status.in_([int(s) for s in CLOCK_RUNNING]), Dossier.due_at < now)


# --------------------------------------------------------------------------- support team


@dataclass
class VisitRow:
    id: int = 0
    resident: str = ""
    address: str = ""
    day: str = ""
    purpose: str = ""
    status: str = "planned"


def support_visits(session: Session, actor: Actor, limit: int = 12) -> list[VisitRow]:
    """Planned visits, earliest first (one planned for a past day was missed: the most pressing),
    then the most recent done or cancelled ones."""
    require_role(actor, [Role.SUPPORTER])
    base = (select(SupportVisit, Resident.full_name, Resident.address)
            .join(Resident, Resident.id == SupportVisit.resident_id)
            .where(SupportVisit.supporter_id == actor.user_id))
    upcoming = session.exec(base.where(SupportVisit.status == "planned")
                            .order_by(SupportVisit.planned_for, SupportVisit.id).limit(limit)).all()
    past = session.exec(base.where(SupportVisit.status != "planned")
                        .order_by(SupportVisit.planned_for.desc(), SupportVisit.id.desc())
                        .limit(max(0, limit - len(upcoming)))).all()
    return [VisitRow(id=v.id or 0, resident=name, address=address, day=fmt_day(v.planned_for), purpose=v.purpose,
                     status=v.status) for v, name, address in (*upcoming, *past)]


def support_dossiers(session: Session, actor: Actor, now: datetime, limit: int = RECENT_LIMIT) -> list[DossierRow]:
    """Dossiers this supporter filed (on someone's behalf or assisted), newest first."""
    require_role(actor, [Role.SUPPORTER])
    stmt = (_with_names().where(Dossier.acting_user_id == actor.user_id)
            .order_by(Dossier.created_at.desc(), Dossier.id.desc()).limit(limit))
    return _dossier_rows(session, stmt, now)


# --------------------------------------------------------------------------- administration


@dataclass
class KeyCount:
    key: str = ""
    label_vi: str = ""
    label_en: str = ""
    count: int = 0


@dataclass
class AdminOverview:
    centers: int = 0
    users: int = 0
    procedures: int = 0
    dossiers: int = 0
    users_by_role: list[KeyCount] = field(default_factory=list)
    dossiers_by_status: list[KeyCount] = field(default_factory=list)


def admin_overview(session: Session, actor: Actor) -> AdminOverview:
    """Counts of the whole system (an administrator's first look)."""
    require_role(actor, [Role.ADMIN])

    def count(model, *where) -> int:  # noqa: ANN001
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    roles = dict(session.exec(select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)).all())
    statuses = dict(session.exec(select(Dossier.status, func.count()).group_by(Dossier.status)).all())
    role_order = [r for r in Role if r != Role.SYSTEM]
    return AdminOverview(
        centers=count(Center, Center.active.is_(True)),
        users=sum(roles.values()),
        procedures=count(Procedure, Procedure.is_current.is_(True)),
        dossiers=sum(statuses.values()),
        users_by_role=[KeyCount(str(r), t(f"role.{r}", "vi"), t(f"role.{r}", "en"), roles.get(str(r), 0))
                       for r in role_order],
        dossiers_by_status=[KeyCount(str(int(s)), status_label(s, "vi"), status_label(s, "en"), statuses.get(int(s), 0))
                            for s in Status],
    )


# --------------------------------------------------------------------------- quality dashboard


@dataclass
class QualityRow:
    center_vi: str = ""
    center_en: str = ""
    submitted: int = 0
    online: int = 0
    online_pct: float = -1.0
    online_vi: str = "—"
    online_en: str = "—"
    finished: int = 0
    on_time: int = 0
    on_time_pct: float = -1.0
    on_time_vi: str = "—"
    on_time_en: str = "—"
    overdue_now: int = 0


@dataclass
class QualityDashboard:
    since: str = ""
    until: str = ""
    total: QualityRow = field(default_factory=QualityRow)
    centers: list[QualityRow] = field(default_factory=list)


def _quality_rows(session: Session, since: datetime, now: datetime, center_ids: Iterable[int] | None) -> dict:
    """Per handling center: submitted / online (by submission time) and finished / on time (by finish time)."""
    scope = [Dossier.handling_center_id.in_(list(center_ids))] if center_ids is not None else []
    submitted = session.exec(
        select(Dossier.handling_center_id, func.count(),
               func.sum(sa.case((Dossier.channel == "online", 1), else_=0)))
        .where(*scope, Dossier.submitted_at >= since, Dossier.submitted_at <= now)
        .group_by(Dossier.handling_center_id)).all()
    finished = session.exec(
        select(Dossier.handling_center_id, func.count(), func.sum(sa.case((Dossier.on_time.is_(True), 1), else_=0)))
        .where(*scope, Dossier.finished_at >= since, Dossier.finished_at <= now, Dossier.on_time.is_not(None))
        .group_by(Dossier.handling_center_id)).all()
    overdue = session.exec(
        select(Dossier.handling_center_id, func.count()).where(*scope, _overdue(now))
        .group_by(Dossier.handling_center_id)).all()
    out: dict[int, list[int]] = {}
    for cid, n, online in submitted:
        out.setdefault(cid, [0, 0, 0, 0, 0])[0:2] = [int(n), int(online or 0)]
    for cid, n, on_time in finished:
        out.setdefault(cid, [0, 0, 0, 0, 0])[2:4] = [int(n), int(on_time or 0)]
    for cid, n in overdue:
        out.setdefault(cid, [0, 0, 0, 0, 0])[4] = int(n)
    return out


def _quality_row(center_vi: str, center_en: str, numbers: list[int]) -> QualityRow:
    submitted, online, finished, on_time, overdue_now = numbers
    online_pct, online_vi, online_en = fmt_pct(online, submitted)
    on_time_pct, on_time_vi, on_time_en = fmt_pct(on_time, finished)
    return QualityRow(center_vi, center_en, submitted, online, online_pct, online_vi, online_en,
                      finished, on_time, on_time_pct, on_time_vi, on_time_en, overdue_now)


def quality_dashboard(session: Session, actor: Actor, now: datetime, days: int = DASHBOARD_DAYS) -> QualityDashboard:
    """On-time rate (finished in the window, judged at status 9 or at the end) and online rate
    (submitted in the window) for a leader's center, or for every center for a province admin.
    """
    require_role(actor, [Role.LEADER, Role.ADMIN])
    since = now - timedelta(days=days)
    province_wide = actor.is_admin and actor.center_id is None
    center_ids = None if province_wide else [actor.center_id]
    numbers = _quality_rows(session, since, now, center_ids)
    centers_q = select(Center).order_by(Center.name)
    if not province_wide:
        centers_q = centers_q.where(Center.id == actor.center_id)
    centers = session.exec(centers_q).all()
    rows = [_quality_row(c.name, c.name, numbers.get(c.id, [0, 0, 0, 0, 0])) for c in centers
            if c.id in numbers or not province_wide]
    totals = [sum(v[i] for v in numbers.values()) for i in range(5)]
    scope_vi = t("dashboard.province", "vi") if province_wide else (centers[0].name if centers else "")
    scope_en = t("dashboard.province", "en") if province_wide else (centers[0].name if centers else "")
    return QualityDashboard(since=fmt_day(since), until=fmt_day(now), total=_quality_row(scope_vi, scope_en, totals),
                            centers=rows)


def center_name(session: Session, center_id: int | None) -> str:
    center = session.get(Center, center_id) if center_id else None
    return center.name if center else ""
