"""Small builders for service tests: demo users as actors, a filed dossier."""

from __future__ import annotations

from sqlmodel import Session, select

from onestop.adapters.storage import default_storage
from onestop.db import transaction
from onestop.demo.catalog import PROCEDURES
from onestop.demo.scans import demo_scan_pdf
from onestop.models import Attachment, Center, Resident, User
from onestop.services.actor import Actor
from onestop.services.dossiers import file_dossier

PHONES = {
    "citizen": "0901000001",
    "supporter": "0901000002",
    "receiver": "0901000003",
    "specialist": "0901000004",
    "leader": "0901000005",
    "admin": "0901000006",
}


def user(session: Session, role: str) -> User:
    return session.exec(select(User).where(User.phone == PHONES[role])).one()


def actor(session: Session, role: str) -> Actor:
    return Actor.from_user(user(session, role))


def officer_of(session: Session, center_code: str, role: str) -> Actor:
    center = session.exec(select(Center).where(Center.code == center_code)).one()
    u = session.exec(select(User).where(User.center_id == center.id, User.role == role)).first()
    return Actor.from_user(u)


def center(session: Session, code: str = "X01") -> Center:
    return session.exec(select(Center).where(Center.code == code)).one()


def attach(session: Session, owner: User, code: str) -> Attachment:
    data = demo_scan_pdf(code)
    sha, key = default_storage().put(data)
    att = Attachment(
        owner_user_id=owner.id,
        document_code=code,
        filename=f"{code}.pdf",
        mime="application/pdf",
        size=len(data),
        sha256=sha,
        storage_key=key,
    )
    session.add(att)
    session.commit()
    return att


def form_for(session: Session, procedure_code: str, resident: Resident, **overrides: object) -> dict:
    spec = next(p for p in PROCEDURES if p["code"] == procedure_code)
    values: dict[str, object] = {}
    for f in spec["form_schema"]["fields"]:
        src = f.get("autofill")
        if src:
            values[f["name"]] = {
                "resident.full_name": resident.full_name,
                "resident.national_id": resident.national_id,
                "resident.date_of_birth": resident.date_of_birth.isoformat(),
                "resident.phone": resident.phone,
                "resident.address": resident.address,
            }[src]
    extra = {
        "1.001612": {
            "business_name": "Hộ kinh doanh Lan Anh",
            "business_address": "Số 5, thôn Đông, xã Hòa An",
            "business_line": "Bán lẻ tạp hóa",
            "capital": 50000000,
            "declaration": True,
        },
        "2.000815": {"document_title": "Bằng tốt nghiệp", "pages": 2, "copies": 3, "declaration": True},
        "1.004873": {"purpose": "Kết hôn", "declaration": True},
    }[procedure_code]
    values.update(extra)
    values.update(overrides)
    return values


def file_online(session: Session, procedure_code: str = "1.001612", center_code: str = "X01"):
    """The demo citizen files a dossier online with the documents it needs."""
    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    spec = next(p for p in PROCEDURES if p["code"] == procedure_code)
    atts = [
        attach(session, citizen, d["code"]).id
        for d in spec["form_schema"]["documents"]
        if d.get("required", True) and not d.get("state_held")
    ]
    with transaction(session):  # the test stands where the apply page would: it commits
        return file_dossier(
            session,
            Actor.from_user(citizen),
            procedure_code=procedure_code,
            form_data=form_for(session, procedure_code, resident),
            channel="online",
            center_id=center(session, center_code).id,
            attachment_ids=atts,
        )
