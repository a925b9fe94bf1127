"""The inbox's filters select exactly the dossiers they name, on a real database, paged or not.

Why: the page's statements are prepared once per shape with the filter values bound at each run
(`read.prepared`); each filter, alone and combined, is checked here against the same rule applied in Python to
the dossiers themselves, so a value bound to the wrong place, or a LIKE wildcard taken as a pattern, fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from onestop import clock
from onestop.domain.lifecycle import Action
from onestop.domain.text import fold
from onestop.models import Dossier, Procedure, ProcedureField
from onestop.read.inbox import InboxFilter, inbox_page
from onestop.services.dossiers import perform
from tests.integration.helpers import actor, file_online

NOW = datetime(2026, 11, 27, 10, 0)
PROCEDURES = ("1.001612", "2.000815", "1.004873")
CHANNELS = ("online", "direct", "assisted", "field")


@pytest.fixture
def filed(session) -> Iterator[list[Dossier]]:
    """Eight received dossiers of three procedures, four channels, filed on eight different days."""
    clock.set_now(NOW)
    receiver = actor(session, "receiver")
    ids = []
    for i in range(8):
        d = file_online(session, PROCEDURES[i % 3])
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
        ids.append(d.id)
    session.commit()
    for i, dossier_id in enumerate(ids):
        session.execute(
            sa.update(Dossier)
            .where(Dossier.id == dossier_id)
            .values(channel=CHANNELS[i % 4], submitted_at=NOW - timedelta(days=i, hours=1))
        )
    session.commit()
    yield list(session.exec(select(Dossier).where(col(Dossier.id).in_(ids))).all())
    clock.set_now(None)


def field_of(session, procedure_code: str) -> str:
    return session.exec(
        select(ProcedureField.code)
        .join(Procedure, col(Procedure.field_id) == ProcedureField.id)
        .where(Procedure.code == procedure_code, col(Procedure.is_current))
    ).one()  # the current version: another test may leave an older one of the same code as history


def listed(session, flt: InboxFilter, page: int = 100) -> list[int]:
    """The ids the open tab lists under `flt`, `page` rows at a time through the keyset cursor."""
    receiver = actor(session, "receiver")
    out, after = [], None
    while True:
        p = inbox_page(session, receiver, "open", flt, after=after, limit=page)
        out += [r.id for r in p.rows]
        if p.next_cursor is None:
            return out
        after = p.next_cursor


def test_each_filter_lists_exactly_its_dossiers(session, filed) -> None:
    everything = listed(session, InboxFilter())
    assert sorted(everything) == sorted(d.id for d in filed)
    day = (NOW - timedelta(days=3)).date()
    fields = {d.id: field_of(session, d.procedure_code) for d in filed}
    first = filed[0]
    cases: list[tuple[InboxFilter, set[int]]] = [
        (InboxFilter(procedure_code="2.000815"), {d.id for d in filed if d.procedure_code == "2.000815"}),
        (
            InboxFilter(field_code=fields[first.id]),
            {d.id for d in filed if fields[d.id] == fields[first.id]},
        ),
        (InboxFilter(channel="assisted"), {d.id for d in filed if d.channel == "assisted"}),
        (InboxFilter(received_from=day), {d.id for d in filed if d.submitted_at.date() >= day}),
        (InboxFilter(received_to=day), {d.id for d in filed if d.submitted_at.date() <= day}),
        (
            InboxFilter(channel="online", received_from=day - timedelta(days=2), received_to=day),
            {d.id for d in filed if d.channel == "online" and day - timedelta(days=2) <= d.submitted_at.date() <= day},
        ),
        (InboxFilter(query=first.code), {d.id for d in filed if d.code.startswith(first.code)}),
        (InboxFilter(query=first.code.lower()), {d.id for d in filed if d.code.startswith(first.code)}),
        (
            InboxFilter(query=first.applicant_name),
            {d.id for d in filed if fold(first.applicant_name) in d.applicant_name_folded},
        ),
        # wildcards are letters: nobody's name or code holds them
        (InboxFilter(query="%"), set()),
        (InboxFilter(query="_"), set()),
        (InboxFilter(query="a_b%c"), set()),
        (InboxFilter(procedure_code="no-such"), set()),
    ]
    for flt, expected in cases:
        assert sorted(listed(session, flt)) == sorted(expected), flt
        # paged two at a time: the same rows in the same order as one page
        assert listed(session, flt, page=2) == listed(session, flt), flt
    assert all(expected for flt, expected in cases[:9]), "every positive case selects something"
    assert {d.channel for d in filed} == set(CHANNELS) and len({d.procedure_code for d in filed}) == 3


def test_a_filter_changes_what_the_same_shape_lists(session, filed) -> None:
    """The statement of a shape is prepared once: a second value of the same filter lists its own dossiers."""
    for procedure_code in PROCEDURES:
        expected = {d.id for d in filed if d.procedure_code == procedure_code}
        assert set(listed(session, InboxFilter(procedure_code=procedure_code))) == expected
    for i in range(4):
        since: date = (NOW - timedelta(days=i)).date()
        expected = {d.id for d in filed if d.submitted_at.date() >= since}
        assert set(listed(session, InboxFilter(received_from=since))) == expected
