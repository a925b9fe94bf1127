"""The signed-in person behind a Reflex tab: resolved once, re-checked cheaply, revoked within seconds.

Why these tests: the token check used to run two queries on every event (~10 % of an
officer's click under load); it is now cached for RECHECK_SECONDS. The cache must never
outlive a sign-out or a revoked session by more than that.
"""

from __future__ import annotations

import pytest
import reflex as rx

from onestop.demo.catalog import DEMO_PASSWORD
from onestop.read.dossier import center_name
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


@pytest.mark.anyio
async def test_one_statement_lookup_refuses_what_user_for_token_refuses(session) -> None:
    """The tab's re-check (one statement: session row, user, center name) answers exactly like user_for_token."""
    from sqlalchemy import event

    tokens = []
    for phone, kind in ((PHONES["receiver"], "web"), (PHONES["citizen"], "web"), (PHONES["supporter"], "device")):
        tokens.append(auth.sign_in(session, phone, DEMO_PASSWORD, kind=kind)[0])
        session.commit()  # sign-in counts the attempt in its own connection (one writer on SQLite)
    officer, citizen, device = tokens
    statements: list[str] = []
    engine = session.get_bind()
    listen = lambda *a: statements.append(a[2])  # noqa: E731 - before_cursor_execute(conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        found = auth.user_and_center_for_token(session, officer)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert found is not None and found[0].role == "receiver" and found[1] != ""
    assert len(statements) == 1
    assert found[1] == center_name(session, found[0].center_id)
    assert auth.user_and_center_for_token(session, citizen) == (auth.user_for_token(session, citizen), "")
    assert auth.user_and_center_for_token(session, device) is None  # a field device's token never opens the web app
    assert auth.user_and_center_for_token(session, "") is None and auth.user_and_center_for_token(session, "x") is None
    auth.sign_out(session, officer)
    session.commit()
    assert auth.user_and_center_for_token(session, officer) is None


@pytest.mark.anyio
async def test_a_check_is_trusted_for_80_to_100_percent_of_the_window(
    session, wall: _Clock, lookups: list[str]
) -> None:
    """Spread, so tabs checked together drift apart, but never longer than RECHECK_SECONDS (revocation bound)."""
    token, _ = auth.sign_in(session, PHONES["receiver"], DEMO_PASSWORD)
    session.commit()
    windows = []
    for _ in range(20):
        tab = _tab()
        tab.token = token
        await tab.actor()
        windows.append(tab._checked_for)
    assert all(RECHECK_SECONDS * 0.8 <= w <= RECHECK_SECONDS for w in windows)
    assert len(set(windows)) > 1
