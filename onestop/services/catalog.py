"""The procedure catalog: read the current versions, publish a new version on edit.

Why versions: a dossier stores the procedure version in force at reception, so an
edit (new duration, new fee) never moves an open dossier's deadline.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain.deadlines import Duration
from onestop.domain.errors import DomainError
from onestop.domain.fees import FeeSchedule, starting_amount
from onestop.domain.forms import FormSchema
from onestop.models import Procedure
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure
from onestop.services.permissions import require_role

EDITABLE = {
    "name_vi",
    "name_en",
    "description_vi",
    "description_en",
    "who_vi",
    "who_en",
    "duration_counter",
    "duration_online",
    "fee_amount",
    "fee_online_amount",
    "fee_text",
    "fee_schedule",
    "online_level",
    "boundary_free",
    "legal_basis",
    "steps",
    "form_schema",
    "result_name_vi",
    "supplement_resume_mode",
    "level",
    "field_id",
    "agency",
    "other_names",
}


def list_current(session: Session) -> list[Procedure]:
    return list(session.exec(select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.name_vi)))


def _validate_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise DomainError(
            "unknown_fields", "Có trường không được phép sửa.", "Some fields cannot be edited.", status=422
        )
    for key in ("duration_counter", "duration_online"):
        if key in changes and changes[key] is not None:
            try:
                Duration.from_dict(changes[key])
            except (ValueError, TypeError, KeyError) as exc:
                raise DomainError(
                    "bad_duration",
                    "Thời hạn giải quyết không hợp lệ.",
                    "Invalid processing time.",
                    field=key,
                    status=422,
                ) from exc
    if "form_schema" in changes:
        try:
            FormSchema.from_dict(changes["form_schema"])
        except (ValueError, TypeError) as exc:
            raise DomainError(
                "bad_schema",
                f"Biểu mẫu không hợp lệ: {exc}",
                f"Invalid form schema: {exc}",
                field="form_schema",
                status=422,
            ) from exc
    if changes.get("fee_schedule") is not None:
        FeeSchedule.from_dict(changes["fee_schedule"])  # raises a DomainError naming the wrong entry
    for key in ("fee_amount", "fee_online_amount"):
        value = changes.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise DomainError("bad_fee", "Mức phí không hợp lệ.", "Invalid fee.", field=key, status=422)


def publish_new_version(session: Session, actor: Actor, code: str, changes: dict[str, Any]) -> Procedure:
    """Copy the current version with `changes` as version N+1 and make it current (admin only); the caller's
    transaction commits it (one import publishes many versions in one transaction the same way)."""
    return stage_new_version(session, actor, code, changes)


def stage_new_version(
    session: Session, actor: Actor, code: str, changes: dict[str, Any], old: Procedure | None = None
) -> Procedure:
    """Version N+1 of `code` with `changes`, flushed (the caller commits; `publish_new_version` is the same)."""
    require_role(actor, ["admin"])
    _validate_changes(changes)
    old = old if old is not None else current_procedure(session, code)
    data = old.model_dump(exclude={"id", "version", "is_current", "created_at"})
    data.update(changes)
    if "fee_schedule" not in changes and ({"fee_amount", "fee_online_amount"} & changes.keys()):
        # new flat amounts without a new schedule (an import, an amount-only edit): the old schedule no longer
        # states the fee, so this version charges the flat amounts it was given (domain.fees.schedule_for)
        data["fee_schedule"] = None
    if data.get("fee_schedule"):  # keep the list amounts (search, catalog) in step with the schedule
        schedule = FeeSchedule.from_dict(data["fee_schedule"])
        data["fee_schedule"] = schedule.to_dict()
        data["fee_amount"] = starting_amount(schedule, "direct")
        online = starting_amount(schedule, "online")
        data["fee_online_amount"] = None if online == data["fee_amount"] else online
    # after the highest version ever published (an older one may have been made current again)
    latest = session.exec(select(sa.func.max(Procedure.version)).where(Procedure.code == old.code)).one()
    new = Procedure(**data, version=int(latest or old.version) + 1, is_current=True, created_at=clock.now())
    old.is_current = False
    session.add(old)
    session.flush()
    session.add(new)
    session.flush()
    return new
