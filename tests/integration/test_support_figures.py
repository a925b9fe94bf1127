"""Support-team figures per commune: visits, people helped, dossiers filed for people, online before/after."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from onestop import clock
from onestop.domain.lifecycle import Status
from onestop.models import Resident, SupportVisit
from onestop.read import dashboard as q
from onestop.read.support_figures import support_figures
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import actor, user

NOW = datetime(2026, 11, 25, 10, 0)


def test_commune_online_rate_before_and_after_the_first_visit(session) -> None:
    clock.set_now(NOW)
    supporter = user(session, "supporter")
    residents = session.exec(select(Resident).where(Resident.commune != "").order_by(Resident.id)).all()
    commune = residents[0].commune
    people = [r for r in residents if r.commune == commune][:3]
    visit_at = NOW - timedelta(days=20)
    for r in people[:2]:
        session.add(
            SupportVisit(
                supporter_id=supporter.id,
                resident_id=r.id,
                planned_for=visit_at.date(),
                status="done",
                done_at=visit_at,
            )
        )
    session.commit()
    nid = people[0].national_id
    # before the visit: 1 online of 4; after: 3 online of 4, plus one filed by the team (not "online by themselves")
    for days, channel in (
        (-40, "direct"),
        (-35, "direct"),
        (-30, "online"),
        (-25, "direct"),
        (-10, "online"),
        (-8, "online"),
        (-5, "online"),
        (-3, "direct"),
    ):
        make_dossier(
            session,
            status=Status.SUBMITTED,
            channel=channel,
            applicant_national_id=nid,
            submitted_at=NOW + timedelta(days=days),
        )
    d = make_dossier(
        session,
        status=Status.SUBMITTED,
        channel="assisted",
        applicant_national_id=people[2].national_id,
        submitted_at=NOW - timedelta(days=2),
    )
    d.acting_user_id, d.on_behalf = supporter.id, True
    session.add(d)
    session.commit()
    figures = support_figures(session, actor(session, "admin"), q.period_for("30d", NOW))
    row = next(f for f in figures if f.commune == commune)
    assert (row.visits, row.people_helped, row.filed_on_behalf) == (2, 3, 1)
    assert row.online_before == (1, 4)
    assert row.online_after == (3, 5)
