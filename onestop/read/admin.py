"""What the administrator's pages show: the overview (counts of people, centers, procedures, open
dossiers) and the lists and forms of users, centers and counters, the calendar and procedures.
The changes these pages make are use cases in services/admin.py.

Why apart from read/dashboard.py: the leaders' service-quality dashboard (Decision 766) has its own
queries there; this is the administrator's landing page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop.domain.deadlines import Duration
from onestop.domain.fees import schedule_for, schedule_to_form
from onestop.domain.lifecycle import OPEN, Role, Status, status_label
from onestop.domain.text import fold
from onestop.models import CalendarOverride, Center, Counter, Dossier, Procedure, ProcedureField, User
from onestop.read.bilingual import BiText
from onestop.read.centers import CenterInfo
from onestop.read.format import fee_texts, fmt_day, fmt_moment
from onestop.read.procedure import ProcedureHead, procedure_head
from onestop.services import calendar, catalog
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

# --------------------------------------------------------------------------- administration


@dataclass
class KeyCount:
    key: str = ""
    label: BiText = BiText()
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

    def count(model, *where) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    roles = dict(session.exec(select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)).all())
    statuses = dict(session.exec(select(Dossier.status, func.count()).group_by(Dossier.status)).all())
    role_order = [r for r in Role if r != Role.SYSTEM]
    return AdminOverview(
        centers=count(Center, Center.active.is_(True)),
        users=sum(roles.values()),
        procedures=count(Procedure, Procedure.is_current.is_(True)),
        dossiers=sum(statuses.values()),
        users_by_role=[KeyCount(str(r), BiText.of(f"role.{r}"), roles.get(str(r), 0)) for r in role_order],
        dossiers_by_status=[
            KeyCount(str(int(s)), BiText.by(partial(status_label, s)), statuses.get(int(s), 0)) for s in Status
        ],
    )


# --------------------------------------------------------------------------- users and roles


@dataclass
class UserRow:
    id: int = 0
    phone: str = ""
    national_id: str = ""
    full_name: str = ""
    role: str = ""
    title: str = ""
    center_id: str = ""
    center: str = ""
    active: bool = True
    created: str = ""
    require_vneid: bool = False


def _user_row(user: User, centers: Mapping[int, str]) -> UserRow:
    return UserRow(
        user.id or 0,
        user.phone,
        user.national_id or "",
        user.full_name,
        user.role,
        user.title or "",
        str(user.center_id or ""),
        centers.get(user.center_id or 0, ""),
        user.active,
        fmt_day(user.created_at),
        user.require_vneid,
    )


def _center_names(session: Session) -> dict[int, str]:
    return {c.id: c.name for c in session.exec(select(Center)) if c.id is not None}


def list_users(
    session: Session,
    actor: Actor,
    *,
    query: str = "",
    role: str = "",
    center_id: int | None = None,
    staff_only: bool = True,
    limit: int = 100,
) -> list[UserRow]:
    """Accounts, staff first by center and role; search by phone, ID number or name without accents."""
    require_role(actor, [Role.ADMIN])
    stmt = select(User)
    if staff_only and not role:
        stmt = stmt.where(User.role != Role.CITIZEN)
    if role:
        stmt = stmt.where(User.role == role)
    if center_id is not None:
        stmt = stmt.where(User.center_id == center_id)
    q = query.strip()
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        if digits and len(digits) == len(q.replace(" ", "")):
            stmt = stmt.where(sa.or_(User.phone.startswith(digits), User.national_id.startswith(digits)))
        else:
            # Names are few per province staff list: fold in Python (no folded column on app_user).
            folded = fold(q)
            rows = [u for u in session.exec(stmt.order_by(User.full_name)) if folded in fold(u.full_name)]
            names = _center_names(session)
            return [_user_row(u, names) for u in rows[:limit]]
    rows = list(session.exec(stmt.order_by(User.center_id, User.role, User.full_name).limit(limit)).all())
    names = _center_names(session)
    return [_user_row(u, names) for u in rows]


# --------------------------------------------------------------------------- centers and counters


@dataclass
class CounterRow:
    id: int = 0
    center_id: int = 0
    number: int = 0
    name: str = ""
    fields: str = ""  # comma-separated field codes


@dataclass
class CenterRow(CenterInfo):
    """A center as the administrator lists it: the particulars the public pages show (`CenterInfo`, the same
    row) and the administrator's own columns."""

    level: str = ""
    province: str = ""
    active: bool = True
    staff: int = 0
    open_dossiers: int = 0
    counters: list[CounterRow] = field(default_factory=list)

    @classmethod
    def listed(cls, center: Center, staff: int, open_dossiers: int, counters: list[CounterRow]) -> CenterRow:
        row = cls.of(center)
        row.level, row.province, row.active = center.level, center.province, center.active
        row.staff, row.open_dossiers, row.counters = staff, open_dossiers, counters
        return row


def list_centers(session: Session, actor: Actor) -> list[CenterRow]:
    """Every center with its counters, staff count and open dossiers (one grouped query each)."""
    require_role(actor, [Role.ADMIN])
    staff = dict(
        session.exec(
            select(User.center_id, func.count())
            .where(User.active.is_(True), User.role != Role.CITIZEN)
            .group_by(User.center_id)
        ).all()
    )
    open_ = dict(
        session.exec(
            select(Dossier.handling_center_id, func.count())
            .where(Dossier.status.in_([int(s) for s in OPEN]))
            .group_by(Dossier.handling_center_id)
        ).all()
    )
    counters: dict[int, list[CounterRow]] = {}
    for c in session.exec(select(Counter).order_by(Counter.center_id, Counter.number)):
        counters.setdefault(c.center_id, []).append(
            CounterRow(c.id or 0, c.center_id, c.number, c.name, ", ".join(c.field_codes or []))
        )
    return [
        CenterRow.listed(c, int(staff.get(c.id, 0)), int(open_.get(c.id, 0)), counters.get(c.id or 0, []))
        for c in session.exec(select(Center).order_by(Center.level, Center.name))
    ]


# --------------------------------------------------------------------------- calendar overrides


@dataclass
class DayRow:
    day: str = ""  # yyyy-mm-dd
    shown: str = ""  # dd/mm/yyyy and weekday
    kind: str = ""  # day_off | working_day | holiday (from the package, not editable)
    name: str = ""
    editable: bool = True


_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _shown(d: date) -> str:
    return f"{_WEEKDAYS_VI[d.weekday()]}, {d:%d/%m/%Y}"


def calendar_year(session: Session, actor: Actor, year: int) -> list[DayRow]:
    """The year's days off and make-up days: public holidays (read-only) and the administrator's overrides."""
    require_role(actor, [Role.ADMIN])
    cal = calendar.load_calendar(session)
    overrides = {
        r.day: r
        for r in session.exec(
            select(CalendarOverride).where(
                CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31)
            )
        )
    }
    rows = [
        DayRow(d.isoformat(), _shown(d), "holiday", name, False)
        for d, name in cal.days_off_in_year(year)
        if d not in overrides and cal.is_public_holiday(d)
    ]
    rows += [DayRow(d.isoformat(), _shown(d), r.kind, r.name, True) for d, r in overrides.items()]
    return sorted(rows, key=lambda r: r.day)


# --------------------------------------------------------------------------- procedures


@dataclass
class ProcedureRow(ProcedureHead):
    version: int = 0
    field: BiText = BiText()
    open_on_older: int = 0  # open dossiers still on an earlier version (they keep it)


@dataclass
class ProcedureForm:
    """The editable fields of the current version, as text for the form."""

    code: str = ""
    version: int = 0
    name_vi: str = ""
    name_en: str = ""
    duration_value: str = ""
    duration_unit: str = ""
    online_value: str = ""
    online_unit: str = ""
    fee_amount: str = ""
    fee_online_amount: str = ""
    fee_text: str = ""
    supplement_resume_mode: str = "restart"
    result_name_vi: str = ""
    legal_basis: str = ""
    form_schema: str = ""
    versions: list[str] = field(default_factory=list)
    other_names: str = ""  # one per line
    agency: str = ""
    # the fee schedule as form fields (domain/fees.schedule_to_form), not JSON
    fee_basis: str = "per_dossier"
    fee_tiers: str = ""
    fee_cap: str = ""
    fee_online_percent: str = ""
    fee_exemptions: str = ""
    fee_summary_vi: str = ""
    fee_summary_en: str = ""


def list_procedures(session: Session, actor: Actor) -> list[ProcedureRow]:
    require_role(actor, [Role.ADMIN])
    fields = {f.id: f for f in session.exec(select(ProcedureField))}
    on_older = dict(
        session.exec(
            select(Procedure.code, func.count())
            .join(Dossier, Dossier.procedure_id == Procedure.id)
            .where(Procedure.is_current.is_(False), Dossier.status.in_([int(s) for s in OPEN]))
            .group_by(Procedure.code)
        ).all()
    )
    rows = []
    for p in catalog.list_current(session):
        f = fields.get(p.field_id)
        duration = Duration.from_dict(p.duration_counter or {"value": 0, "unit": "same_day"})
        rows.append(
            ProcedureRow(
                **procedure_head(p, duration, BiText(*fee_texts(p.fee_amount))),
                version=p.version,
                field=BiText(f.name_vi, f.name_en) if f else BiText(),
                open_on_older=int(on_older.get(p.code, 0)),
            )
        )
    return rows


def procedure_form(session: Session, actor: Actor, code: str) -> ProcedureForm:
    require_role(actor, [Role.ADMIN])
    p = catalog.current_procedure(session, code)
    counter = p.duration_counter or {"value": 0, "unit": "same_day"}
    online = p.duration_online or {}
    versions = [
        f"v{v.version} — {fmt_moment(v.created_at)}"
        for v in session.exec(select(Procedure).where(Procedure.code == code).order_by(Procedure.version.desc()))
    ]
    schedule = schedule_for(p.fee_schedule, p.fee_amount, p.fee_online_amount)
    fee = schedule_to_form(schedule)
    return ProcedureForm(
        p.code,
        p.version,
        p.name_vi,
        p.name_en,
        str(counter.get("value", "")),
        str(counter.get("unit", "")),
        str(online.get("value", "")),
        str(online.get("unit", "")),
        fee["fee_amount"],
        fee["fee_online_amount"],
        p.fee_text,
        p.supplement_resume_mode,
        p.result_name_vi,
        p.legal_basis,
        json.dumps(p.form_schema or {}, ensure_ascii=False, indent=2),
        versions,
        fee_basis=fee["fee_basis"],
        fee_tiers=fee["fee_tiers"],
        fee_cap=fee["fee_cap"],
        fee_online_percent=fee["fee_online_percent"],
        fee_exemptions=fee["fee_exemptions"],
        fee_summary_vi=schedule.summary("vi"),
        fee_summary_en=schedule.summary("en"),
        other_names="\n".join(p.other_names or []),
        agency=p.agency,
    )


# --------------------------------------------------------------------------- quality dashboard
