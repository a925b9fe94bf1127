"""Related procedures: what the same people filed next, counted per person, with a minimum of people."""

from __future__ import annotations

from datetime import datetime, timedelta

from onestop.domain.lifecycle import Status
from onestop.read.related import related_procedures
from tests.integration.dashboard_helpers import make_dossier

T0 = datetime(2026, 3, 2, 9, 0)


def _file(session, nid: str, code: str, days: int) -> None:  # noqa: ANN001
    make_dossier(
        session,
        status=Status.RETURNED,
        procedure=code,
        applicant_national_id=nid,
        submitted_at=T0 + timedelta(days=days),
    )


def test_next_procedures_by_distinct_people(session) -> None:
    for nid in ("001", "002", "003"):
        _file(session, nid, "1.001193", 0)  # birth registration …
        _file(session, nid, "1.001612", 10)  # … then a business household (3 people)
    _file(session, "001", "1.001612", 20)  # the same person twice counts once
    _file(session, "001", "2.000815", 5)
    _file(session, "002", "2.000815", 6)  # 2 people: still shown
    _file(session, "003", "1.004873", 7)  # 1 person: below the minimum
    _file(session, "004", "2.000884", -5)  # filed *before*, not next
    _file(session, "002", "2.000884", 400)  # outside the window
    got = related_procedures(session, "1.001193")
    assert [(r.code, r.people) for r in got] == [("1.001612", 3), ("2.000815", 2)]
    assert got[0].name.vi
    assert related_procedures(session, "1.001193", min_people=1, limit=5)[-1].code == "1.004873"
    assert related_procedures(session, "9.999999") == []
