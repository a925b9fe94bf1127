"""Filed on behalf, owned by the person: a supporter files for a resident with no account; when the person opens
an account (any door) and signs in, the dossier is in their /my list, and status notices reach both."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from onestop import clock
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.lifecycle import Action
from onestop.models import Consent, Dossier, Notification, Resident, User
from onestop.read.dossier import citizen_dossiers
from onestop.services.actor import Actor
from onestop.services.auth import hash_password, sign_in
from onestop.services.dossiers import ActionInput, file_dossier, perform
from tests.integration.helpers import actor, center, form_for, user


def test_dossier_filed_by_a_supporter_belongs_to_the_person_who_signs_up_later(session):
    clock.set_now(datetime(2026, 11, 23, 9, 0))
    accounts = {u.national_id for u in session.exec(select(User)) if u.national_id}
    resident = next(r for r in session.exec(select(Resident).order_by(Resident.id)) if r.national_id not in accounts)
    supporter = user(session, "supporter")
    consent = Consent(supporter_id=supporter.id, resident_id=resident.id, method="signature", captured_at=clock.now())
    session.add(consent)
    session.commit()
    d = file_dossier(
        session,
        actor(session, "supporter"),
        procedure_code="1.004873",
        form_data={**form_for(session, "1.004873", resident), "phone": resident.phone or "0912345678"},
        channel="assisted",
        center_id=center(session).id,
        attachment_ids=[],
        resident_id=resident.id,
        consent_id=consent.id,
    )
    assert d.applicant_user_id is None and d.acting_user_id == supporter.id

    # the person opens an account later and signs in: the dossier is theirs
    person = User(
        phone="0987000111",
        national_id=resident.national_id,
        full_name=resident.full_name,
        password_hash=hash_password(DEMO_PASSWORD),
        role="citizen",
    )
    session.add(person)
    session.commit()
    sign_in(session, "0987000111", DEMO_PASSWORD)
    assert session.get(Dossier, d.id).applicant_user_id == person.id
    mine = citizen_dossiers(session, Actor.from_user(person), clock.now())
    assert [r.code for r in mine] == [d.code]

    # a status notice goes to the person and to the supporter who filed it
    perform(
        session,
        actor(session, "receiver"),
        d.id,
        Action.RECEIVE,
        expected_version=session.get(Dossier, d.id).version,
        data=ActionInput(),
    )
    notes = session.exec(
        select(Notification).where(Notification.dossier_id == d.id, Notification.kind == "received")
    ).all()
    assert {n.user_id for n in notes} == {person.id, supporter.id}
