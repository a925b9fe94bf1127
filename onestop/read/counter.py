"""Counter intake's reads: the person from the population registry and the procedure's form for them.

Why here: the receiver looks the person up (through the registry adapter's
interface) and sees the same schema the online form renders, pre-filled; filing
at the counter is the use case `services.workbench.file_at_counter`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlmodel import Session

from onestop.adapters.population import ResidentRecord, registry
from onestop.domain.errors import DomainError
from onestop.domain.forms import parse_national_id
from onestop.read.apply import FieldInfo, field_info
from onestop.read.format import fmt_day
from onestop.read.procedure import DocumentInfo, document_info
from onestop.read.schemas import schema_of
from onestop.services.actor import Actor
from onestop.services.dossiers import current_procedure
from onestop.services.permissions import require_counter

# --------------------------------------------------------------------------- acting from form inputs


# --------------------------------------------------------------------------- counter intake


@dataclass
class PersonCard:
    resident_id: int = 0
    national_id: str = ""
    full_name: str = ""
    date_of_birth: str = ""
    gender: str = ""
    phone: str = ""
    address: str = ""


def lookup_person(session: Session, actor: Actor, national_id: str) -> tuple[PersonCard, dict[str, str]]:
    """The person at the counter, from the population registry by ID number, and the form prefill."""
    require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12:
        raise DomainError(
            "national_id_invalid",
            "Số định danh cá nhân gồm 12 chữ số.",
            "A personal ID number has 12 digits.",
            field="national_id",
            status=422,
        )
    record: ResidentRecord | None = registry(session).by_national_id(digits)
    if record is None:
        raise DomainError(
            "resident_not_found",
            "Không tìm thấy công dân có số định danh này trong CSDL dân cư.",
            "No one with this ID number in the population registry.",
            field="national_id",
            status=404,
        )
    card = PersonCard(
        record.id,
        record.national_id,
        record.full_name,
        fmt_day(record.date_of_birth),
        record.gender,
        record.phone,
        record.address,
    )
    return card, {k: str(v) for k, v in record.prefill().items()}


def counter_form(
    session: Session, actor: Actor, procedure_code: str, prefill: Mapping[str, str]
) -> tuple[list[FieldInfo], list[DocumentInfo], dict[str, str]]:
    """The procedure's form (same schema as online) with values pre-filled from the registry."""
    require_counter(actor)
    proc = current_procedure(session, procedure_code)
    schema = schema_of(proc)
    fields_, values = [], {}
    for spec in schema.fields:
        # the online form's field shape; locked whenever the registry is the source (even for an empty value)
        locked = spec.registry_authoritative and bool(spec.autofill and spec.autofill in prefill)
        fields_.append(replace(field_info(spec, prefill), locked=locked))
        values[spec.name] = str(prefill.get(spec.autofill or "", "")) if spec.autofill else ""
        if spec.type == "checkbox":
            values[spec.name] = ""
    docs = [document_info(d) for d in schema.documents]
    return fields_, docs, values


def manual_person(actor: Actor, national_id: str) -> PersonCard:
    """A person the registry does not know: only the ID number is known yet; it must pass the number's rules."""
    require_counter(actor)
    digits = "".join(ch for ch in national_id if ch.isdigit())
    if len(digits) != 12 or parse_national_id(digits) is None:
        raise DomainError(
            "national_id_invalid",
            "Số định danh cá nhân không hợp lệ (12 chữ số, mã tỉnh nơi đăng ký khai sinh ở 3 số đầu).",
            "The personal ID number is not valid (12 digits starting with a province code).",
            field="national_id",
            status=422,
        )
    return PersonCard(0, digits)
