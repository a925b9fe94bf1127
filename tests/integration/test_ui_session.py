"""The signed-in person behind a Reflex tab: resolved once, re-checked cheaply, revoked within seconds.

Why these tests: the token check used to run two queries on every event (~10 % of an
officer's click under load); it is now cached for RECHECK_SECONDS. The cache must never
outlive a sign-out or a revoked session by more than that.
"""

from __future__ import annotations

import pytest
import reflex as rx

from onestop.demo.catalog import DEMO_PASSWORD
from onestop.services import auth
from onestop.ui import session as ui_session
from onestop.ui.session import RECHECK_SECONDS, SessionState
from tests.integration.helpers import PHONES


def _tab() -> SessionState:
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(SessionState.get_full_name().split(".")[1:])


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture()
def wall(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    clock = _Clock()
    monkeypatch.setattr(ui_session.time, "time", clock.time)
    return clock


@pytest.fixture()
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = ui_session._lookup

    def counting(token: str):  # noqa: ANN202
        calls.append(token)
        return real(token)

    monkeypatch.setattr(ui_session, "_lookup", counting)
    return calls


@pytest.mark.anyio
async def test_one_lookup_per_recheck_window(session, wall: _Clock, lookups: list[str]) -> None:
    token, _ = auth.sign_in(session, PHONES["receiver"], DEMO_PASSWORD)
    session.commit()
    tab = _tab()
    tab.token = token
    first = await tab.actor()
    assert first is not None and first.role == "receiver"
    assert tab.user_role == "receiver"
    for _ in range(5):
        wall.now += RECHECK_SECONDS / 10
        assert await tab.actor() == first
    assert len(lookups) == 1
    wall.now += RECHECK_SECONDS
    assert await tab.actor() == first
    assert len(lookups) == 2


@pytest.mark.anyio
async def test_revoked_session_loses_access_within_the_window(session, wall: _Clock, lookups: list[str]) -> None:
    token, _ = auth.sign_in(session, PHONES["citizen"], DEMO_PASSWORD)
    session.commit()
    tab = _tab()
    tab.token = token
    assert await tab.actor() is not None
    auth.sign_out(session, token)  # another device signs this session out
    session.commit()
    wall.now += RECHECK_SECONDS + 0.1
    assert await tab.actor() is None
    assert tab.token == "" and tab.user_role == ""


@pytest.mark.anyio
async def test_a_changed_token_is_checked_at_once(session, wall: _Clock, lookups: list[str]) -> None:
    citizen, _ = auth.sign_in(session, PHONES["citizen"], DEMO_PASSWORD)
    session.commit()
    tab = _tab()
    tab.token = citizen
    assert (await tab.actor()).role == "citizen"
    tab.token = "not-a-live-token"  # a cookie replaced in the browser is never trusted from the cache
    assert await tab.actor() is None
    assert len(lookups) == 2


@pytest.mark.anyio
async def test_no_token_no_lookup(session, lookups: list[str]) -> None:
    tab = _tab()
    assert await tab.actor() is None
    assert lookups == []
