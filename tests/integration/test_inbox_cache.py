"""The shared inbox read (ui.officer.inbox_cache): one read for a center's officers, never stale past a change.

Why these tests: the cache is what makes 200 officers' tab changes cheap (issue 11), and it must never show an
officer a list older than the last announced change of their center, nor older than TTL_SECONDS, nor read at
another moment of the application clock; each officer still sees their own "mine".
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from onestop import clock
from onestop.db import transaction
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Action
from onestop.read import inbox_rows
from onestop.read.inbox import InboxFilter, tab_counts
from onestop.services.dossiers import ActionInput, perform
from onestop.ui.officer import inbox_cache
from tests.integration.helpers import actor, center, file_online, officer_of

NO_FILTER = InboxFilter()


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reads that really ran (counts or a page), by name."""
    calls: list[str] = []
    real = inbox_cache.db_read

    async def counting(fn, *args, **kwargs):  # noqa: ANN001, ANN202
        calls.append(fn.__name__)
        return await real(fn, *args, **kwargs)

    monkeypatch.setattr(inbox_cache, "db_read", counting)
    inbox_cache.clear()
    yield calls
    inbox_cache.clear()


class _Monotonic:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def mono(monkeypatch: pytest.MonkeyPatch) -> _Monotonic:
    tick = _Monotonic()
    monkeypatch.setattr(inbox_cache.time, "monotonic", tick)
    return tick


async def _open(officer):  # noqa: ANN001, ANN202
    return await inbox_cache.counts_and_page(officer, "open", NO_FILTER, "", 50)


@pytest.mark.anyio
async def test_officers_of_a_center_share_one_read_and_keep_their_own_mine(session, reads, mono) -> None:
    receiver, specialist, leader = actor(session, "receiver"), actor(session, "specialist"), actor(session, "leader")
    ds = [file_online(session) for _ in range(3)]
    with transaction(session):
        for d in ds:
            perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
    with transaction(session):
        perform(
            session,
            leader,
            ds[0].id,
            Action.ASSIGN,
            expected_version=ds[0].version,
            data=ActionInput(assignee_id=specialist.user_id),
        )
    inbox_cache.clear()
    reads.clear()
    counts_r, view_r = await _open(receiver)
    counts_s, view_s = await _open(specialist)
    assert reads == ["scope_counts", "inbox_view"]  # the specialist reused the receiver's read
    # ...and both see exactly what a read of their own shows, their own "mine" included
    assert counts_r == tab_counts(session, receiver) and counts_s == tab_counts(session, specialist)
    assert counts_s["mine"] == 1 and counts_r["mine"] == 0
    assert view_s.items == inbox_rows.inbox_view(session, specialist, "open").items
    assert view_r.items == inbox_rows.inbox_view(session, receiver, "open").items
    assert [i.mine for i in view_s.items].count(True) == 1 and not any(i.mine for i in view_r.items)
    # "mine" lists one officer's dossiers: its page is never shared
    _, mine_s = await inbox_cache.counts_and_page(specialist, "mine", NO_FILTER, "", 50)
    _, mine_r = await inbox_cache.counts_and_page(receiver, "mine", NO_FILTER, "", 50)
    assert [i.id for i in mine_s.items] == [ds[0].id] and mine_r.items == []


@pytest.mark.anyio
async def test_an_announced_change_is_read_at_once(session, reads, mono) -> None:
    receiver = actor(session, "receiver")
    d = file_online(session)
    counts, _ = await _open(receiver)
    assert counts["to_receive"] == 1 and counts["open"] == 0
    with transaction(session):  # committed: the bus announces it, the center's shared reads are dropped
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
    reads.clear()
    counts, view = await _open(receiver)  # no time has passed on either clock
    assert reads == ["scope_counts", "inbox_view"]
    assert counts["to_receive"] == 0 and counts["open"] == 1 and [i.id for i in view.items] == [d.id]


@pytest.mark.anyio
async def test_the_center_a_dossier_leaves_reads_again(session, reads, mono) -> None:
    receiver, leader = actor(session, "receiver"), actor(session, "leader")
    other = officer_of(session, "P01", "leader")
    d = file_online(session)
    with transaction(session):
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
    with transaction(session):
        perform(
            session,
            leader,
            d.id,
            Action.TRANSFER,
            expected_version=d.version,
            data=ActionInput(target_center_id=center(session, "P01").id),
        )
    _, view = await _open(other)
    assert [i.id for i in view.items] == [d.id]
    # P01 hands it back: P01 is neither the receiving nor the handling center any more, only the one it left
    with transaction(session):
        perform(
            session,
            other,
            d.id,
            Action.TRANSFER,
            expected_version=d.version,
            data=ActionInput(target_center_id=center(session, "X01").id),
        )
    counts, view = await _open(other)
    assert view.items == [] and counts["open"] == 0


@pytest.mark.anyio
async def test_nothing_is_reused_past_the_ttl_nor_at_another_moment(session, reads, mono) -> None:
    receiver = actor(session, "receiver")
    await _open(receiver)
    mono.now += inbox_cache.TTL_SECONDS / 2
    await _open(receiver)
    assert len(reads) == 2  # reused within the TTL
    mono.now += inbox_cache.TTL_SECONDS  # an unannounced change (a script, a calendar edit) shows by now
    await _open(receiver)
    assert len(reads) == 4
    clock.set_now(clock.now() + timedelta(hours=3))  # the application clock moved (tests do): read at the new moment
    await _open(receiver)
    assert len(reads) == 6
    clock.set_now(clock.now() - timedelta(hours=3))  # and back
    await _open(receiver)
    assert len(reads) == 8


@pytest.mark.anyio
async def test_many_tabs_at_once_make_one_read(session, reads, mono) -> None:
    receiver = actor(session, "receiver")
    file_online(session)
    results = await asyncio.gather(*(_open(receiver) for _ in range(20)))
    assert reads == ["scope_counts", "inbox_view"]
    assert all(r == results[0] for r in results) and results[0][0]["to_receive"] == 1


@pytest.mark.anyio
async def test_a_citizen_is_refused_before_anything_is_read(session, reads) -> None:
    with pytest.raises(PermissionDenied):
        await _open(actor(session, "citizen"))
    assert reads == []
