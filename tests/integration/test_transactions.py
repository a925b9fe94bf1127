"""Transactions at the edges: use cases flush, the caller commits, live updates follow the commit.

Also the inbox tab counts as one statement (issue 11).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from onestop.db import get_engine, new_session, transaction
from onestop.domain.lifecycle import Action, Status
from onestop.models import Dossier, DossierEvent
from onestop.read.inbox import TABS, inbox_page, tab_counts
from onestop.services import bus
from onestop.services.dossiers import perform
from tests.integration.helpers import actor, file_online


def _count_in_other_session(dossier_id: int) -> int:
    with new_session() as other:
        return len(other.exec(select(DossierEvent).where(DossierEvent.dossier_id == dossier_id)).all())


def test_a_use_case_is_stored_only_when_the_caller_commits_and_announced_only_then(session):
    d = file_online(session)
    before = _count_in_other_session(d.id)
    seen: list[bus.DossierChanged] = []
    bus.subscribe(seen.append)
    try:
        with transaction(session):
            perform(session, actor(session, "receiver"), d.id, Action.RECEIVE, expected_version=d.version)
            assert seen == []  # flushed, not committed: nobody is told yet
        assert [c.action for c in seen] == ["receive"]
        assert _count_in_other_session(d.id) == before + 1
    finally:
        bus.unsubscribe(seen.append)


def test_a_failed_block_stores_nothing_and_announces_nothing(session):
    d = file_online(session)
    before = _count_in_other_session(d.id)
    seen: list[bus.DossierChanged] = []
    bus.subscribe(seen.append)
    try:
        try:
            with transaction(session):
                perform(session, actor(session, "receiver"), d.id, Action.RECEIVE, expected_version=d.version)
                raise RuntimeError("the edge fails after the use case")
        except RuntimeError:
            pass
        assert seen == []
        assert _count_in_other_session(d.id) == before
        session.expire_all()
        assert session.get(Dossier, d.id).status == Status.SUBMITTED
    finally:
        bus.unsubscribe(seen.append)


def test_no_service_module_commits():
    from pathlib import Path

    import onestop.services

    root = Path(onestop.services.__file__).parent
    offenders = [p.name for p in root.glob("*.py") if ".commit()" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_tab_counts_are_one_statement_and_match_the_lists(session):
    receiver = actor(session, "receiver")
    ds = [file_online(session) for _ in range(3)]
    with transaction(session):
        perform(session, receiver, ds[0].id, Action.RECEIVE, expected_version=ds[0].version)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        counts = tab_counts(session, receiver)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert set(counts) == set(TABS)
    for tab in TABS:
        assert counts[tab] == len(inbox_page(session, receiver, tab, limit=100).rows), tab
    assert counts["to_receive"] == 2 and counts["open"] == 1
