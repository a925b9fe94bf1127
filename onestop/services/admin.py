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

The pages' lists and forms (users, centers, calendar, procedures) are read in `read/admin.py`.
Inputs arrive as text from the admin forms; they are parsed and checked here,
and every refusal is a DomainError in both languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop import clock
from onestop.domain import passwords
from onestop.domain.errors import DomainError, NotFound
from onestop.domain.fees import FeeSchedule, schedule_from_form, starting_amount
from onestop.domain.lifecycle import OPEN, Role
from onestop.models import AccountEvent, CalendarOverride, Center, Counter, Dossier, Procedure, ProcedureField, User
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


def _duration(value: object, unit: object, field_name: str) -> dict | None:
    unit = str(unit or "").strip()
    if not unit:
        return None
    if unit not in DURATION_UNITS:
        raise _bad("unit_invalid", "Đơn vị thời hạn không hợp lệ.", "Unknown duration unit.", field_name)
    amount = 0 if unit == "same_day" else _int(value, field_name, minimum=1, maximum=365)
    return {"value": amount, "unit": unit}


def _other_names(value: object) -> list[str]:
    from onestop.domain.catalog_sheet import OTHER_NAMES_TOO_LONG, other_names_too_long, split_list

    names = list(split_list(str(value or "")))
    if other_names_too_long(names):
        raise _bad("other_names_too_long", *OTHER_NAMES_TOO_LONG, "other_names")
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
    "add_override",
    "create_user",
    "delete_counter",
    "edit_procedure",
    "remove_override",
    "reset_password",
    "save_center",
    "save_counter",
    "update_user",
]
