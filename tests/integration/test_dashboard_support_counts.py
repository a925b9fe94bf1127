"""The support figures' kept tables equal the dossiers joined to the registry, after random changes on both sides.

A seeded loop (two seeds) files dossiers for residents (and for ID numbers the registry does not know), some by
the support team or an officer on the person's behalf, and changes them the ways the hooks must see: channel,
"on behalf", acting user, submission time, applicant ID number, deletion (ORM flushes and `UPDATE`/`DELETE`
statements), and on the registry side a commune or an ID number changed, a person added for an ID number
dossiers already name, a person deleted; team visits are recorded too. Every few steps the tables equal what
`support_counts.direct` groups from the dossiers and the registry, and `support_figures` (tables) equals
`support_figures_direct` (the join at read time) for periods ending now (inside a day), at midnights, and not at
midnight at all, for the province and one center's leader; at the end a rebuild gives the same tables.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.db import insert_row, transaction
from onestop.domain.lifecycle import Status
from onestop.models import Dossier, Resident, SupportVisit, User
from onestop.read import dashboard as q
from onestop.read.support_figures import support_figures, support_figures_direct
from onestop.services import support_counts as sc
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import actor, file_online, user

START = datetime(2026, 9, 1, 8, 0)
CHANNELS = ("online", "online", "direct", "assisted", "field")


def _check(session: Session, now: datetime) -> int:
    conn = session.connection()
    assert sc.same(sc.stored(conn), sc.direct(conn))
    today = now.date()
    periods = [
        q.period_for("90d", now),
        q.period_for("30d", now),
        q.period_for("custom", now, today - timedelta(days=40), today - timedelta(days=5)),
        q.Period(now - timedelta(days=33, minutes=517), now - timedelta(days=2, minutes=90)),
        q.Period(now - timedelta(hours=20), now - timedelta(hours=3)),  # inside at most two days
    ]
    rows = 0
    for period in periods:
        for reader in (actor(session, "admin"), actor(session, "leader")):
            got = support_figures(session, reader, period)
            assert got == support_figures_direct(session, reader, period), (period, reader.role)
            rows += sum(f.filed_on_behalf + f.visits for f in got)
    return rows


def _new_resident(session: Session, rng: random.Random, communes: list[str], nid: str | None = None) -> Resident:
    r = Resident(
        national_id=nid or f"0{rng.randrange(10**11):011d}",
        full_name="Trần Văn Thử",
        date_of_birth=date(1970, 1, 1),
        gender="male",
        commune=rng.choice(communes),
    )
    session.add(r)
    return r


@pytest.fixture()
def registry(session: Session):
    """The registry is reference data shared by every test: put it back as it was afterwards."""
    before = [(r.id, r.national_id, r.commune) for r in session.exec(select(Resident)).all()]
    yield
    session.rollback()
    with transaction(session):
        session.execute(sa.delete(Resident).where(Resident.id.not_in([i for i, _, _ in before])))
        for rid, nid, commune in before:
            session.execute(sa.update(Resident).where(Resident.id == rid).values(national_id=nid, commune=commune))


@pytest.mark.parametrize("seed", [13, 766])
@pytest.mark.usefixtures("registry")
def test_support_tables_equal_the_dossiers_joined_to_the_registry(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    clock.set_now(START)
    supporter = user(session, "supporter")
    citizen = user(session, "citizen")  # file_online files for this person: their registry row stays as it is
    others = [u.id for u in session.exec(select(User).where(User.role == "receiver")).all()][:2]
    residents = [
        r for r in session.exec(select(Resident).order_by(Resident.id)).all() if r.national_id != citizen.national_id
    ][:40]
    visitable = list(residents)  # visits refer to the registry row: only to rows the test does not delete
    communes = sorted({r.commune for r in residents})[:4] + ["xã Mới Lập"]
    unknown = [f"09{rng.randrange(10**10):010d}" for _ in range(5)]  # ID numbers the registry does not hold (yet)
    to_register = list(unknown)
    dossiers: list[int] = []  # without events or attachments: these can be deleted
    compared = 0
    for i in range(260):
        clock.set_now(clock.now() + timedelta(minutes=rng.randint(30, 900)))
        now = clock.now()
        roll = rng.random()
        with transaction(session):
            if roll < 0.35 or len(dossiers) < 5:
                person = rng.choice(residents).national_id if rng.random() < 0.85 else rng.choice(unknown)
                channel = rng.choice(CHANNELS)
                d = make_dossier(
                    session,
                    status=Status.SUBMITTED,
                    channel=channel,
                    applicant_national_id=person,
                    submitted_at=now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600)),
                    commit=False,
                )
                if channel != "online" or rng.random() < 0.2:
                    d.acting_user_id = rng.choice([supporter.id, supporter.id, *others])
                    d.on_behalf = rng.random() < 0.7
                session.add(d)
                session.flush()
                dossiers.append(d.id)
            elif roll < 0.55:
                d = session.get(Dossier, rng.choice(dossiers))
                what = rng.choice(["channel", "behalf", "acting", "submitted", "nid"])
                if what == "channel":
                    d.channel = rng.choice(CHANNELS)
                elif what == "behalf":
                    d.on_behalf = not d.on_behalf
                elif what == "acting":
                    d.acting_user_id = rng.choice([None, supporter.id, *others])
                elif what == "submitted":
                    d.submitted_at = now - timedelta(days=rng.randint(0, 100), hours=rng.randint(0, 20))
                else:
                    d.applicant_national_id = rng.choice(residents).national_id
                session.add(d)
            elif roll < 0.62:  # a statement, not a flush
                ids = rng.sample(dossiers, min(3, len(dossiers)))
                session.execute(
                    sa.update(Dossier)
                    .where(Dossier.id.in_(ids))
                    .values(channel=rng.choice(CHANNELS), acting_user_id=supporter.id, on_behalf=True)
                )
            elif roll < 0.66 and len(dossiers) > 10:
                victim = dossiers.pop(rng.randrange(len(dossiers)))
                if rng.random() < 0.5:
                    session.delete(session.get(Dossier, victim))
                else:
                    session.execute(sa.delete(Dossier).where(Dossier.id == victim))
            elif roll < 0.74:
                r = rng.choice(residents)
                r.commune = rng.choice(communes)
                session.add(r)
            elif roll < 0.77:
                r = rng.choice(residents)
                if rng.random() < 0.5:
                    r.national_id = f"0{rng.randrange(10**11):011d}"  # the old number's dossiers lose their commune
                    session.add(r)
                else:
                    session.execute(sa.update(Resident).where(Resident.id == r.id).values(commune=rng.choice(communes)))
                    session.expire(r)
            elif roll < 0.80 and to_register:  # a person added for an ID number dossiers already name
                residents.append(_new_resident(session, rng, communes, to_register.pop()))
            elif roll < 0.83:
                extra = [r for r in residents if r.full_name == "Trần Văn Thử"]
                if extra:  # one of ours: nothing else refers to it
                    gone = rng.choice(extra)
                    residents.remove(gone)
                    session.delete(gone)
                else:
                    residents.append(_new_resident(session, rng, communes))
            elif roll < 0.93:
                session.add(
                    SupportVisit(
                        supporter_id=supporter.id,
                        resident_id=rng.choice(visitable).id,
                        planned_for=now.date(),
                        status="done",
                        done_at=now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 500)),
                    )
                )
            else:  # the filing fast path (db.insert_row) and a normal online filing
                d = make_dossier(
                    session,
                    status=Status.SUBMITTED,
                    channel="assisted",
                    applicant_national_id=rng.choice(residents).national_id,
                    submitted_at=now,
                    commit=False,
                )
                d.acting_user_id, d.on_behalf = supporter.id, True
                session.expunge(d)  # written by the fast path instead of a flush
                dossiers.append(insert_row(session, d))
        conn = session.connection()
        assert sc.same(sc.stored(conn), sc.direct(conn)), (i, roll)  # after every step (small tables)
        if i % 8 == 7:
            file_online(session)
        if i % 40 == 39:
            compared += _check(session, clock.now() + timedelta(minutes=1))
    compared += _check(session, clock.now() + timedelta(minutes=1))
    assert compared > 0  # the figures compared were not all empty
    conn = session.connection()
    kept = sc.stored(conn)
    assert kept.filed and kept.communes
    with transaction(session):
        sc.rebuild_on(session.connection())
    assert sc.same(sc.stored(session.connection()), kept)
