"""A person unknown to the population registry is served at the counter: typed particulars with the ID number's
check rules, marked "not verified by the registry", audited."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.models import Dossier, DossierEvent, Resident
from onestop.read import dossier_detail, filing_forms
from onestop.services import workbench
from onestop.services.dossiers import MANUAL_ENTRY_FLAG
from tests.integration.helpers import actor

UNKNOWN = "079301012345"  # TP. Hồ Chí Minh, female born 2001 — not in the demo registry


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(datetime(2026, 11, 23, 9, 0))
    yield
    clock.set_now(None)


def _values(**over: str) -> dict[str, str]:
    base = {
        "full_name": "Võ Thị Hạnh",
        "national_id": UNKNOWN,
        "date_of_birth": "2001-04-09",
        "phone": "0912345678",
        "address": "12 Lê Lợi, phường Tân An",
        "purpose": "Kết hôn",
        "declaration": "true",
    }
    return {**base, **over}


def test_unknown_person_is_served_with_typed_particulars(session):
    receiver = actor(session, "receiver")
    assert session.exec(select(Resident).where(Resident.national_id == UNKNOWN)).first() is None
    with pytest.raises(DomainError) as missing:
        filing_forms.lookup_person(session, receiver, UNKNOWN)
    assert missing.value.code == "resident_not_found"
    with pytest.raises(DomainError):
        filing_forms.manual_person(receiver, "999301012345")  # 999 is no province
    card = filing_forms.manual_person(receiver, UNKNOWN)
    assert (card.resident_id, card.national_id) == (0, UNKNOWN)

    # the ID number's rules hold for typed particulars: century/year of birth must match the number
    with pytest.raises(DomainError) as wrong_year:
        workbench.file_at_counter(
            session,
            receiver,
            procedure_code="1.004873",
            resident_id=None,
            values=_values(date_of_birth="1990-04-09"),
            attachment_ids=[],
            manual=True,
        )
    assert wrong_year.value.code == "form_invalid"
    session.rollback()

    done = workbench.file_at_counter(
        session, receiver, procedure_code="1.004873", resident_id=None, values=_values(), attachment_ids=[], manual=True
    )
    d = session.exec(select(Dossier).where(Dossier.code == done.code)).one()
    assert d.status == 2 and d.applicant_resident_id is None and d.applicant_name == "Võ Thị Hạnh"
    assert d.applicant_national_id == UNKNOWN and d.flags[MANUAL_ENTRY_FLAG] is True
    submit = session.exec(
        select(DossierEvent).where(DossierEvent.dossier_id == d.id, DossierEvent.action == "submit")
    ).one()
    assert submit.data[MANUAL_ENTRY_FLAG] is True and "chưa được xác thực" in submit.note
    assert submit.actor_user_id == receiver.user_id
    page = dossier_detail.dossier_page(session, receiver, d.code)
    assert page.not_registry_verified


def test_manual_entry_is_refused_for_a_registry_person_and_for_other_roles(session):
    receiver = actor(session, "receiver")
    known = session.exec(select(Resident).order_by(Resident.id)).first()
    with pytest.raises(DomainError) as in_registry:
        workbench.file_at_counter(
            session,
            receiver,
            procedure_code="1.004873",
            resident_id=None,
            values=_values(
                national_id=known.national_id, full_name=known.full_name, date_of_birth=known.date_of_birth.isoformat()
            ),
            attachment_ids=[],
            manual=True,
        )
    assert in_registry.value.code == "in_registry"
    session.rollback()
    with pytest.raises(DomainError):
        filing_forms.manual_person(actor(session, "citizen"), UNKNOWN)
