"""The online submission's round trips and rows (issue 11: submission at the prototype's speed).

Why: the filing path was made fast by cutting statements (one joined read of user/center/procedure, Core
INSERT … RETURNING for the dossier and its event, ON CONFLICT outbox rows with no SELECT first). These tests
fail if a change brings back a read or a flush per row, or loses a row the use case must write.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from onestop.adapters.messaging import OutboxMessenger, OutgoingMessage
from onestop.db import get_engine, new_session, transaction
from onestop.domain.lifecycle import Status
from onestop.models import Dossier, DossierEvent, Notification, OutboundMessage, Resident
from onestop.services.actor import Actor
from onestop.services.dossiers import file_dossier
from tests.integration.helpers import center, form_for, user

PROCEDURE = "1.004873"  # marital status certificate: no upload required


def _statements_of(fn) -> list[str]:  # noqa: ANN001
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return seen


def test_online_filing_is_few_statements_and_writes_every_row(session) -> None:
    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    form = form_for(session, PROCEDURE, resident)
    center_id = center(session).id
    actor = Actor.from_user(citizen)
    filed: list[Dossier] = []

    def file() -> None:
        with new_session() as fresh, transaction(fresh):  # a request's own session, as the apply page has
            filed.append(
                file_dossier(
                    fresh, actor, procedure_code=PROCEDURE, form_data=form, channel="online", center_id=center_id
                )
            )

    file()  # the first filing of a procedure version in this process also reads (and caches) its form schema
    statements = [s for s in _statements_of(file) if s.split()[0].upper() not in ("BEGIN", "COMMIT", "SAVEPOINT")]
    if get_engine().dialect.name == "postgresql":
        # the applicant and their registry record (one join; center and procedure held in memory, read.reference),
        # then ONE statement (services.filing_statement): code upsert (only if the held center/procedure are still
        # current), dossier, event, notification, SMS outbox, submission count and its two sums, commune count
        assert len(statements) == 2, [s[:90] for s in statements]
        assert statements[1].lstrip().upper().startswith("WITH"), statements[1][:200]
    else:
        # applicant + registry record, code upsert (guarded as above), dossier, submission count (the forecast's
        # history, dashboard) and its per-center and per-procedure sums (migration 0018), the applicant's commune
        # count (support figures, 0018: its registry lookup inside the upsert), event, notification, SMS outbox
        assert len(statements) == 10, [s[:90] for s in statements]
    assert sum(s.lstrip().upper().startswith("SELECT") for s in statements) == 1, statements

    assert filed[0].code != filed[1].code
    d = session.get(Dossier, filed[1].id)
    assert d is not None and d.status == Status.SUBMITTED and d.code == filed[1].code and d.version == 1
    events = session.exec(select(DossierEvent).where(DossierEvent.dossier_id == d.id)).all()
    assert [(e.action, e.to_status, e.actor_user_id) for e in events] == [("submit", Status.SUBMITTED, citizen.id)]
    key = f"dossier:{d.id}:submitted:0"
    assert session.exec(select(Notification).where(Notification.dedupe_key == key)).one().user_id == citizen.id
    assert session.exec(select(OutboundMessage).where(OutboundMessage.dedupe_key == key)).one().channel == "sms"
    # the Core INSERT skips the flush hooks: the submission count is kept all the same (db.on_insert_row)
    counted = session.execute(
        sa.text(
            "SELECT submitted FROM dossier_submission_count WHERE day = :day AND center_id = :c AND proc_code = :p"
        ),
        {"day": d.submitted_at.date(), "c": d.receiving_center_id, "p": PROCEDURE},
    ).scalar_one()
    assert counted >= 2
    # and so is the applicant's commune count (INSERT … SELECT from the registry, services.support_counts)
    commune = session.execute(
        sa.text("SELECT dossiers, online_self FROM dossier_commune_count WHERE commune = :c AND day = :day"),
        {"c": resident.commune, "day": d.submitted_at.date()},
    ).one()
    assert tuple(commune) == (2, 2)


def test_outbox_writes_a_key_once_in_the_same_and_a_later_transaction(session) -> None:
    messenger = OutboxMessenger()
    msg = OutgoingMessage("sms", "0901000001", "Hồ sơ đã nhận", "test:outbox:once")
    with transaction(session):
        assert messenger.send(session, msg) is True
        assert messenger.send(session, msg) is False  # same transaction: nothing pending to look for any more
    with transaction(session):
        assert messenger.send(session, msg) is False
        assert messenger.send(session, OutgoingMessage("sms", "  ", "x", "test:outbox:blank")) is False
    rows = session.exec(select(OutboundMessage).where(OutboundMessage.dedupe_key.like("test:outbox:%"))).all()
    assert [(r.recipient, r.body) for r in rows] == [("0901000001", "Hồ sơ đã nhận")]
