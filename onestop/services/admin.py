"""Administration: users and roles, centers and counters, calendar overrides, procedure versions.

Why these rules live here and not in the admin pages:
- A deactivated account or a changed role must stop working at once, so both
  revoke the person's live sessions in the same call.
- Officers act only inside their center (services.permissions), so an officer
  account without a center would be unusable or, for an admin, province-wide:
  the role decides whether a center is required.
- A center that still handles open dossiers cannot be switched off: they would
  vanish from every inbox. Transfer them first.
- Editing a procedure never mutates the version open dossiers use:
  `catalog.publish_new_version` copies it as version N+1.
- The yearly calendar announcements go through `calendar.set_override`, the
  same table every deadline computation reads.

Inputs arrive as text from the admin forms; they are parsed and checked here,
and every refusal is a DomainError in both languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop import clock
from onestop.domain import passwords
from onestop.domain.deadlines import Duration
from onestop.domain.errors import DomainError, NotFound
from onestop.domain.fees import FeeSchedule, schedule_for, schedule_from_form, schedule_to_form, starting_amount
from onestop.domain.lifecycle import OPEN, Role
from onestop.domain.text import fold
from onestop.i18n import t
from onestop.models import AccountEvent, CalendarOverride, Center, Counter, Dossier, Procedure, ProcedureField, User
from onestop.read.format import fmt_day, fmt_moment, fmt_money
from onestop.services import auth, calendar, catalog
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

#: Roles an administrator can give (the system role is for jobs only).
ASSIGNABLE_ROLES = (Role.CITIZEN, Role.SUPPORTER, Role.RECEIVER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)
#: Roles that work inside one center (an admin may be province-wide, with no center).
CENTER_ROLES = frozenset({Role.SUPPORTER, Role.RECEIVER, Role.SPECIALIST, Role.LEADER})
CENTER_LEVELS = ("province", "commune", "ward", "special_zone")
DURATION_UNITS = ("working_days", "calendar_days", "working_hours", "same_day")
MIN_PASSWORD = passwords.MIN_LENGTH
_PHONE_RE = re.compile(r"^0[0-9]{9,10}$")
_CODE_RE = re.compile(r"^[A-Z0-9]{2,20}$")


def _admin(actor: Actor) -> None:
    require_role(actor, [Role.ADMIN])


def _bad(code: str, vi: str, en: str, field_name: str | None = None, status: int = 422) -> DomainError:
    return DomainError(code, vi, en, field=field_name, status=status)


def _text(value: object, field_name: str, max_len: int, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise _bad(f"{field_name}_required", "Vui lòng điền mục này.", "Please fill this in.", field_name)
    if len(text) > max_len:
        raise _bad(
            f"{field_name}_too_long",
            f"Quá dài (tối đa {max_len} ký tự).",
            f"Too long (at most {max_len} characters).",
            field_name,
        )
    return text


def _int(
    value: object, field_name: str, *, minimum: int = 0, maximum: int = 10**12, required: bool = True
) -> int | None:
    text = str(value if value is not None else "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        if required:
            raise _bad(f"{field_name}_required", "Vui lòng nhập một số.", "Please enter a number.", field_name)
        return None
    if not text.isdigit() or not minimum <= int(text) <= maximum:
        raise _bad(
            f"{field_name}_invalid",
            f"Vui lòng nhập số từ {minimum} đến {maximum}.",
            f"Please enter a number from {minimum} to {maximum}.",
            field_name,
        )
    return int(text)


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
    _admin(actor)
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


def _check_role_center(session: Session, role: str, center_id: int | None) -> None:
    if role not in {str(r) for r in ASSIGNABLE_ROLES}:
        raise _bad("role_invalid", "Vai trò không hợp lệ.", "Unknown role.", "role")
    if role in CENTER_ROLES and center_id is None:
        raise _bad(
            "center_required",
            "Cán bộ của trung tâm phải thuộc một trung tâm.",
            "Center staff must belong to a center.",
            "center",
        )
    if center_id is not None:
        center = session.get(Center, center_id)
        if center is None or not center.active:
            raise _bad(
                "center_invalid",
                "Trung tâm không hợp lệ hoặc đã ngừng hoạt động.",
                "Unknown or inactive center.",
                "center",
            )


def _password(value: str, personal: tuple[str, ...] = ()) -> str:
    """The shared policy (onestop.domain.passwords): length or passphrase, not common, not personal."""
    passwords.check(value or "", personal=personal)
    return value


def create_user(session: Session, actor: Actor, form: Mapping[str, Any]) -> User:
    """A new account; phone and ID number must be unused."""
    _admin(actor)
    phone = auth.normalise_login(str(form.get("phone", "")))
    if not _PHONE_RE.fullmatch(phone):
        raise _bad("phone_invalid", "Số điện thoại không hợp lệ.", "Invalid phone number.", "phone")
    national_id = "".join(ch for ch in str(form.get("national_id", "")) if ch.isdigit()) or None
    if national_id is not None and len(national_id) != 12:
        raise _bad(
            "national_id_invalid",
            "Số định danh cá nhân gồm 12 chữ số.",
            "A personal ID number has 12 digits.",
            "national_id",
        )
    if session.exec(select(User).where(User.phone == phone)).first() is not None:
        raise _bad(
            "phone_taken", "Số điện thoại này đã có tài khoản.", "This phone already has an account.", "phone", 409
        )
    if national_id and session.exec(select(User).where(User.national_id == national_id)).first() is not None:
        raise _bad(
            "national_id_taken",
            "Số định danh này đã có tài khoản.",
            "This ID number already has an account.",
            "national_id",
            409,
        )
    role = str(form.get("role", ""))
    center_id = _int(form.get("center_id"), "center", minimum=1, required=False)
    _check_role_center(session, role, center_id)
    user = User(
        phone=phone,
        national_id=national_id,
        full_name=_text(form.get("full_name"), "full_name", 120),
        email=_text(form.get("email"), "email", 200, required=False),
        password_hash=auth.hash_password(
            _password(str(form.get("password", "")), (phone, national_id or "", str(form.get("full_name", ""))))
        ),
        role=role,
        center_id=center_id,
        title=_text(form.get("title"), "title", 120, required=False),
        active=True,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, actor: Actor, user_id: int, form: Mapping[str, Any]) -> User:
    """Change role, center, title, name or active; a change of role/center/active ends live sessions."""
    _admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản.", "Account not found.")
    role = str(form.get("role", user.role))
    center_id = _int(form.get("center_id", user.center_id or ""), "center", minimum=1, required=False)
    active = str(form.get("active", "true" if user.active else "")).lower() in ("true", "on", "1", "yes")
    _check_role_center(session, role, center_id)
    if user.id == actor.user_id and (role != user.role or not active):
        raise _bad(
            "self_lockout",
            "Bạn không thể tự hạ quyền hoặc khóa tài khoản của chính mình.",
            "You cannot demote or deactivate your own account.",
            "role",
            409,
        )
    require_vneid = _require_vneid(user, role, form, actor)
    access_changed = (role, center_id, active) != (user.role, user.center_id, user.active)
    user.role, user.center_id, user.active = role, center_id, active
    if require_vneid != user.require_vneid:
        _audit_account(session, actor, user, "require_vneid_on" if require_vneid else "require_vneid_off")
        access_changed = access_changed or require_vneid  # password sessions end when VNeID becomes required
        user.require_vneid = require_vneid
    user.full_name = _text(form.get("full_name", user.full_name), "full_name", 120)
    user.title = _text(form.get("title", user.title), "title", 120, required=False)
    session.add(user)
    session.flush()
    if access_changed:
        auth.revoke_user_sessions(session, user.id or 0)
    return user


#: Roles whose accounts may be made to sign in with VNeID only (the officers and the administrators).
VNEID_STAFF_ROLES = ("receiver", "specialist", "leader", "admin")


def _require_vneid(user: User, role: str, form: Mapping[str, Any], actor: Actor) -> bool:
    """The account's new `require_vneid` (absent: unchanged, like `active`); only staff with an ID number."""
    wanted = str(form.get("require_vneid", "true" if user.require_vneid else "")).lower() in ("true", "on", "1", "yes")
    if not wanted:
        return False
    if role not in VNEID_STAFF_ROLES:
        raise _bad(
            "vneid_staff_only",
            "Chỉ tài khoản cán bộ mới có thể bắt buộc đăng nhập bằng VNeID.",
            "Only staff accounts can be required to sign in with VNeID.",
            "require_vneid",
            422,
        )
    if not user.national_id:
        raise _bad(
            "vneid_needs_id",
            "Tài khoản chưa có số định danh cá nhân nên không thể đăng nhập bằng VNeID.",
            "This account has no ID number, so it cannot sign in with VNeID.",
            "require_vneid",
            422,
        )
    return True


def _audit_account(session: Session, actor: Actor, user: User, action: str) -> None:
    session.add(
        AccountEvent(
            at=clock.now(),
            user_id=user.id or 0,
            action=action,
            actor_user_id=actor.user_id,
            actor_name=actor.full_name,
        )
    )


def reset_password(session: Session, actor: Actor, user_id: int, new_password: str) -> None:
    """Set a new password (told to the person in person) and sign every device out."""
    _admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản.", "Account not found.")
    user.password_hash = auth.hash_password(
        _password(new_password, (user.phone, user.national_id or "", user.full_name))
    )
    session.add(user)
    session.flush()
    auth.revoke_user_sessions(session, user.id or 0)


# --------------------------------------------------------------------------- centers and counters


@dataclass
class CounterRow:
    id: int = 0
    center_id: int = 0
    number: int = 0
    name: str = ""
    fields: str = ""  # comma-separated field codes


@dataclass
class CenterRow:
    id: int = 0
    code: str = ""
    name: str = ""
    level: str = ""
    province: str = ""
    address: str = ""
    phone: str = ""
    active: bool = True
    staff: int = 0
    open_dossiers: int = 0
    counters: list[CounterRow] = field(default_factory=list)


def list_centers(session: Session, actor: Actor) -> list[CenterRow]:
    """Every center with its counters, staff count and open dossiers (one grouped query each)."""
    _admin(actor)
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
        CenterRow(
            c.id or 0,
            c.code,
            c.name,
            c.level,
            c.province,
            c.address,
            c.phone,
            c.active,
            int(staff.get(c.id, 0)),
            int(open_.get(c.id, 0)),
            counters.get(c.id or 0, []),
        )
        for c in session.exec(select(Center).order_by(Center.level, Center.name))
    ]


def save_center(session: Session, actor: Actor, center_id: int | None, form: Mapping[str, Any]) -> Center:
    """Create (no id) or change a center; refuse to switch off one that still handles open dossiers."""
    _admin(actor)
    code = str(form.get("code", "")).strip().upper()
    if not _CODE_RE.fullmatch(code):
        raise _bad(
            "code_invalid",
            "Mã trung tâm gồm 2–20 chữ cái in hoa hoặc chữ số.",
            "A center code is 2–20 capital letters or digits.",
            "code",
        )
    level = str(form.get("level", "commune"))
    if level not in CENTER_LEVELS:
        raise _bad("level_invalid", "Cấp trung tâm không hợp lệ.", "Unknown center level.", "level")
    center = session.get(Center, center_id) if center_id else Center(code=code, name="", level=level, province="")
    if center is None:
        raise NotFound("Không tìm thấy trung tâm.", "Center not found.")
    clash = session.exec(select(Center).where(Center.code == code)).first()
    if clash is not None and clash.id != center.id:
        raise _bad("code_taken", "Mã trung tâm đã được dùng.", "This center code is already used.", "code", 409)
    active = str(form.get("active", "true")).lower() in ("true", "on", "1", "yes")
    if center.id and center.active and not active:
        still_open = int(
            session.exec(
                select(func.count())
                .select_from(Dossier)
                .where(Dossier.handling_center_id == center.id, Dossier.status.in_([int(s) for s in OPEN]))
            ).one()
        )
        if still_open:
            raise _bad(
                "center_has_open_dossiers",
                f"Trung tâm còn {still_open} hồ sơ đang giải quyết; hãy chuyển hồ sơ trước khi ngừng hoạt động.",
                f"The center still handles {still_open} open dossiers; transfer them before switching it off.",
                "active",
                409,
            )
    if (
        center.id
        and code != center.code
        and session.exec(
            select(Dossier.id).where(
                sa.or_(Dossier.receiving_center_id == center.id, Dossier.handling_center_id == center.id)
            )
        ).first()
    ):
        raise _bad(
            "code_in_use",
            "Không đổi được mã: mã trung tâm đã nằm trong mã các hồ sơ.",
            "The code cannot change: it is part of existing dossier codes.",
            "code",
            409,
        )
    center.code, center.level, center.active = code, level, active
    center.name = _text(form.get("name"), "name", 200)
    center.province = _text(form.get("province"), "province", 100)
    center.address = _text(form.get("address"), "address", 300, required=False)
    center.phone = _text(form.get("phone"), "phone", 20, required=False)
    session.add(center)
    session.flush()
    return center


def _field_codes(session: Session, text: str) -> list[str]:
    codes = [c.strip() for c in re.split(r"[,\s]+", text or "") if c.strip()]
    known = {f.code for f in session.exec(select(ProcedureField))}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise _bad(
            "fields_unknown",
            f"Lĩnh vực không có: {', '.join(unknown)}.",
            f"Unknown fields: {', '.join(unknown)}.",
            "fields",
        )
    return codes


def save_counter(session: Session, actor: Actor, counter_id: int | None, form: Mapping[str, Any]) -> Counter:
    """Create or change a reception counter (number unique within its center; the fields it serves)."""
    _admin(actor)
    center_id = _int(form.get("center_id"), "center", minimum=1)
    center = session.get(Center, center_id)
    if center is None:
        raise _bad("center_invalid", "Trung tâm không hợp lệ.", "Unknown center.", "center")
    number = _int(form.get("number"), "number", minimum=1, maximum=999)
    counter = session.get(Counter, counter_id) if counter_id else Counter(center_id=center.id, number=number, name="")
    if counter is None:
        raise NotFound("Không tìm thấy quầy.", "Counter not found.")
    clash = session.exec(select(Counter).where(Counter.center_id == center.id, Counter.number == number)).first()
    if clash is not None and clash.id != counter.id:
        raise _bad(
            "number_taken", "Số quầy này đã có ở trung tâm.", "This counter number already exists here.", "number", 409
        )
    counter.center_id, counter.number = center.id or 0, number or 0
    counter.name = _text(form.get("name"), "name", 200)
    counter.field_codes = _field_codes(session, str(form.get("fields", "")))
    session.add(counter)
    session.flush()
    return counter


def delete_counter(session: Session, actor: Actor, counter_id: int) -> None:
    _admin(actor)
    counter = session.get(Counter, counter_id)
    if counter is not None:
        session.delete(counter)
        session.flush()


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
    _admin(actor)
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


def add_override(session: Session, actor: Actor, day_text: str, kind: str, name: str) -> CalendarOverride:
    day = _day(day_text)
    if kind == "working_day" and day.weekday() < 5 and not calendar.load_calendar(session).is_public_holiday(day):
        raise _bad("already_working", "Ngày này vốn là ngày làm việc.", "This day is already a working day.", "day")
    return calendar.set_override(session, actor, day, kind, _text(name, "name", 200, required=False))


def remove_override(session: Session, actor: Actor, day_text: str) -> None:
    calendar.delete_override(session, actor, _day(day_text))


def _day(text: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise _bad("day_invalid", "Ngày không hợp lệ.", "Invalid date.", "day") from exc


# --------------------------------------------------------------------------- procedures


@dataclass
class ProcedureRow:
    code: str = ""
    version: int = 0
    name_vi: str = ""
    name_en: str = ""
    field_vi: str = ""
    field_en: str = ""
    duration_vi: str = ""
    duration_en: str = ""
    fee_vi: str = ""
    fee_en: str = ""
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
    _admin(actor)
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
                p.code,
                p.version,
                p.name_vi,
                p.name_en,
                f.name_vi if f else "",
                f.name_en if f else "",
                duration.label("vi"),
                duration.label("en"),
                fmt_money(p.fee_amount, "vi") if p.fee_amount else t("fee.free", "vi"),
                fmt_money(p.fee_amount, "en") if p.fee_amount else t("fee.free", "en"),
                int(on_older.get(p.code, 0)),
            )
        )
    return rows


def procedure_form(session: Session, actor: Actor, code: str) -> ProcedureForm:
    _admin(actor)
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


def _duration(value: object, unit: object, field_name: str) -> dict | None:
    unit = str(unit or "").strip()
    if not unit:
        return None
    if unit not in DURATION_UNITS:
        raise _bad("unit_invalid", "Đơn vị thời hạn không hợp lệ.", "Unknown duration unit.", field_name)
    amount = 0 if unit == "same_day" else _int(value, field_name, minimum=1, maximum=365)
    return {"value": amount, "unit": unit}


def _other_names(value: object) -> list[str]:
    from onestop.domain.catalog_sheet import split_list

    names = list(split_list(str(value or "")))
    if len(names) > 30 or any(len(n) > 120 for n in names):
        raise _bad(
            "other_names_too_long",
            "Tên gọi khác: tối đa 30 tên, mỗi tên 120 ký tự.",
            "Other names: 30 names at most, 120 characters each.",
            "other_names",
        )
    return names


def edit_procedure(session: Session, actor: Actor, code: str, form: Mapping[str, Any]) -> Procedure:
    """Publish the edited fields as a new version (open dossiers keep the version they were received under)."""
    _admin(actor)
    current = catalog.current_procedure(session, code)
    try:
        schema = json.loads(str(form.get("form_schema") or "{}"))
    except ValueError as exc:
        raise _bad(
            "bad_schema", f"Biểu mẫu không phải JSON hợp lệ: {exc}", f"The form is not valid JSON: {exc}", "form_schema"
        ) from exc
    if "fee_basis" in form:  # the schedule form (domain/fees): basis, tiers, cap, online rate/discount, exemptions
        schedule = schedule_from_form({k: str(v) for k, v in form.items() if k.startswith("fee_")})
    else:  # an older caller sending only the flat amounts
        schedule = FeeSchedule.flat(
            _int(form.get("fee_amount"), "fee_amount", maximum=1_000_000_000) or 0,
            _int(form.get("fee_online_amount"), "fee_online_amount", maximum=1_000_000_000, required=False),
        )
    online_start = starting_amount(schedule, "online")
    proposed: dict[str, Any] = {
        "name_vi": _text(form.get("name_vi"), "name_vi", 300),
        "name_en": _text(form.get("name_en"), "name_en", 300),
        "duration_counter": _duration(form.get("duration_value"), form.get("duration_unit"), "duration_counter"),
        "duration_online": _duration(form.get("online_value"), form.get("online_unit"), "duration_online"),
        "fee_schedule": schedule.to_dict(),
        "fee_amount": starting_amount(schedule, "direct"),
        "fee_online_amount": online_start if online_start != starting_amount(schedule, "direct") else None,
        "fee_text": _text(form.get("fee_text"), "fee_text", 1000, required=False),
        "result_name_vi": _text(form.get("result_name_vi"), "result_name_vi", 300, required=False),
        "legal_basis": _text(form.get("legal_basis"), "legal_basis", 1000, required=False),
        "supplement_resume_mode": str(form.get("supplement_resume_mode") or "restart"),
        "form_schema": schema,
        "agency": _text(form.get("agency"), "agency", 500, required=False),
        "other_names": _other_names(form.get("other_names")),
    }
    if proposed["duration_counter"] is None:
        raise _bad(
            "duration_counter_required",
            "Vui lòng nhập thời hạn giải quyết.",
            "Please enter the processing time.",
            "duration_counter",
        )
    if proposed["supplement_resume_mode"] not in ("restart", "extend"):
        raise _bad(
            "resume_mode_invalid",
            "Cách tính lại thời hạn không hợp lệ.",
            "Unknown resume mode.",
            "supplement_resume_mode",
        )
    changes = {k: v for k, v in proposed.items() if getattr(current, k) != v}
    if not changes:
        raise _bad("nothing_changed", "Không có thay đổi nào để lưu.", "Nothing was changed.", None, 409)
    return catalog.publish_new_version(session, actor, code, changes)


__all__ = [
    "ASSIGNABLE_ROLES",
    "CENTER_LEVELS",
    "DURATION_UNITS",
    "CenterRow",
    "CounterRow",
    "DayRow",
    "ProcedureForm",
    "ProcedureRow",
    "UserRow",
    "add_override",
    "calendar_year",
    "create_user",
    "delete_counter",
    "edit_procedure",
    "list_centers",
    "list_procedures",
    "list_users",
    "procedure_form",
    "remove_override",
    "reset_password",
    "save_center",
    "save_counter",
    "update_user",
]
