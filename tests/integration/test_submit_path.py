"""The online submission's round trips and rows (issue 11: submission at the prototype's speed).

Why: the filing path was made fast by cutting statements (one joined read of user/center/procedure, Core
INSERT … RETURNING for the dossier and its event, ON CONFLICT outbox rows with no SELECT first). These tests
fail if a change brings back a read or a flush per row, or loses a row the use case must write.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from onestop import clock
from onestop.adapters.messaging import OutboxMessenger, OutgoingMessage
from onestop.db import get_engine, new_session, transaction
from onestop.domain.codes import format_dossier_code
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Status
from onestop.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierSequence,
    Notification,
    OutboundMessage,
    Resident,
    User,
)
from onestop.services.actor import Actor
from onestop.services.dossiers import file_dossier
from tests.integration.helpers import attach, center, form_for, user

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


# --------------------------------------------------------------------------- the one-statement path (PostgreSQL)


def _normalised(session, d: Dossier) -> dict[str, list[dict]]:  # noqa: ANN001
    """The rows a filing wrote, with its own id, code, token and moments taken out (to compare two filings)."""

    def shape(row: object, drop: tuple[str, ...]) -> dict:
        out = {}
        for k, v in row.model_dump().items():  # type: ignore[attr-defined]
            if k in drop:
                continue
            out[k] = v.replace(d.code, "<code>").replace(f":{d.id}:", ":<id>:") if isinstance(v, str) else v
        return out

    key = f"dossier:{d.id}:submitted:0"
    moments = ("created_at", "updated_at", "submitted_at", "at", "next_attempt_at")
    return {
        "dossier": [shape(session.get(Dossier, d.id), ("id", "code", "tracking_token", *moments))],
        "events": [
            shape(e, ("id", "dossier_id", *moments))
            for e in session.exec(select(DossierEvent).where(DossierEvent.dossier_id == d.id))
        ],
        "notifications": [
            shape(n, ("id", "dossier_id", *moments))
            for n in session.exec(select(Notification).where(Notification.dedupe_key.like(f"{key}%")))
        ],
        "messages": [
            shape(m, ("id", *moments))
            for m in session.exec(
                select(OutboundMessage).where(OutboundMessage.dedupe_key.like(f"{key}%")).order_by(OutboundMessage.id)
            )
        ],
        "attachments": [
            {"document_code": a.document_code, "owner": a.owner_user_id}
            for a in session.exec(select(Attachment).where(Attachment.dossier_id == d.id))
        ],
    }


def _kept(session) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every kept dashboard table the filing adds to, as stored."""
    tables = (
        "dossier_submission_count",
        "dossier_submission_center_day",
        "dossier_submission_proc_day",
        "dossier_commune_count",
        "dossier_filed_for",
        "dossier_daily_count",
    )
    return {t: sorted(tuple(r) for r in session.execute(sa.text(f"SELECT * FROM {t}"))) for t in tables}


def test_the_one_statement_writes_what_the_statement_per_row_path_writes(session, monkeypatch) -> None:
    """PostgreSQL: the same filing through services.filing_statement and through the statement-per-row path
    writes the same dossier, event, notification, SMS/email copies, bound attachment and kept-table counts."""
    if get_engine().dialect.name != "postgresql":
        pytest.skip("the one-statement path is PostgreSQL's")
    citizen = user(session, "citizen")
    old_email = citizen.email
    citizen.email = "citizen@example.vn"  # the email copy too (users are reference data: put back below)
    session.add(citizen)
    session.commit()
    try:
        _compare_paths(session, citizen, monkeypatch)
    finally:
        citizen.email = old_email
        session.add(citizen)
        session.commit()


def _compare_paths(session, citizen: User, monkeypatch) -> None:  # noqa: ANN001
    from onestop.services import filing_statement, submission_counts, support_counts

    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    form = form_for(session, PROCEDURE, resident)
    center_id = center(session).id
    actor = Actor.from_user(citizen)

    def file(statements: list[str]) -> Dossier:
        att = attach(session, citizen, "extra_document").id
        filed: list[Dossier] = []

        def run() -> None:
            with new_session() as fresh, transaction(fresh):
                filed.append(
                    file_dossier(
                        fresh,
                        actor,
                        procedure_code=PROCEDURE,
                        form_data=form,
                        channel="online",
                        center_id=center_id,
                        attachment_ids=[att],
                    )
                )

        statements.extend(_statements_of(run))
        return filed[0]

    one: list[str] = []
    fast = file(one)
    assert any(s.lstrip().upper().startswith("WITH") for s in one), one
    after_fast = _kept(session)
    monkeypatch.setattr(filing_statement, "usable", lambda _session: False)
    per_row: list[str] = []
    slow = file(per_row)
    assert not any(s.lstrip().upper().startswith("WITH") for s in per_row)
    session.expire_all()
    assert _normalised(session, fast) == _normalised(session, slow)
    assert len(_normalised(session, fast)["messages"]) == 2  # SMS and email
    # each filing added exactly one to each kept count: the second filing's change equals the first's
    after_slow = _kept(session)
    assert after_slow["dossier_submission_count"] == [
        (r[0], r[1], r[2], r[3] * 2) for r in after_fast["dossier_submission_count"]
    ]
    assert after_slow["dossier_commune_count"] == [
        (r[0], r[1], r[2] * 2, r[3] * 2) for r in after_fast["dossier_commune_count"]
    ]
    for t in ("dossier_submission_center_day", "dossier_submission_proc_day"):
        assert after_slow[t] == [(*r[:-1], r[-1] * 2) for r in after_fast[t]], t
    assert after_fast["dossier_filed_for"] == after_slow["dossier_filed_for"] == []
    assert after_fast["dossier_daily_count"] == after_slow["dossier_daily_count"] == []
    # and they are what a rebuild from the dossiers makes (the dashboard's proof)
    with engine_connection() as conn:
        assert support_counts.same(support_counts.stored(conn), support_counts.direct(conn))
        before = sorted(tuple(r) for r in conn.execute(sa.text("SELECT * FROM dossier_submission_count")))
        submission_counts.rebuild_on(conn)
        assert sorted(tuple(r) for r in conn.execute(sa.text("SELECT * FROM dossier_submission_count"))) == before
        conn.rollback()


def engine_connection():  # noqa: ANN201
    return get_engine().connect()


def test_a_center_changed_elsewhere_is_read_again_before_filing(session) -> None:
    """The center held in memory (read.reference) is checked by the write itself: a change another worker made
    (here: plain SQL, which no hook of this process sees) is never filed against."""
    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    form = form_for(session, PROCEDURE, resident)
    x01 = center(session)
    actor = Actor.from_user(citizen)

    def file() -> Dossier:
        with new_session() as fresh, transaction(fresh):
            return file_dossier(
                fresh, actor, procedure_code=PROCEDURE, form_data=form, channel="online", center_id=x01.id
            )

    file()  # the center is held now
    old_name = x01.name
    with get_engine().begin() as conn:
        conn.execute(sa.text("UPDATE center SET name = 'Trung tâm đổi tên' WHERE id = :i"), {"i": x01.id})
    try:
        d = file()
        event = session.exec(select(DossierEvent).where(DossierEvent.dossier_id == d.id)).one()
        assert event.to_unit == "Trung tâm đổi tên"  # the new name, read again after the write refused the old
        with get_engine().begin() as conn:
            conn.execute(sa.text("UPDATE center SET active = false WHERE id = :i"), {"i": x01.id})
        with pytest.raises(DomainError) as refused:
            file()
        assert refused.value.code == "center_not_found"
        assert session.exec(select(sa.func.count()).select_from(Dossier)).one() == 2  # nothing more written
    finally:
        with get_engine().begin() as conn:
            conn.execute(
                sa.text("UPDATE center SET name = :n, active = true WHERE id = :i"), {"n": old_name, "i": x01.id}
            )


def test_the_day_s_ten_thousandth_code_has_five_digits(session) -> None:
    """The code the statement makes in SQL is `domain.codes.format_dossier_code`'s, past 9,999 too."""
    citizen = user(session, "citizen")
    resident = session.exec(select(Resident).where(Resident.national_id == citizen.national_id)).one()
    x01 = center(session)
    day = clock.now().date()
    with transaction(session):
        session.add(DossierSequence(center_code=x01.code, day=day, last_seq=9998))
    codes = []
    for _ in range(2):
        with new_session() as fresh, transaction(fresh):
            d = file_dossier(
                fresh,
                Actor.from_user(citizen),
                procedure_code=PROCEDURE,
                form_data=form_for(session, PROCEDURE, resident),
                channel="online",
                center_id=x01.id,
            )
            codes.append(d.code)
    assert codes == [format_dossier_code(x01.code, day, 9999), format_dossier_code(x01.code, day, 10000)]
    assert codes[1].endswith("-10000")
    assert session.exec(select(Dossier.code).order_by(Dossier.id)).all() == codes
