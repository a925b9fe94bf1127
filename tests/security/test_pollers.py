"""Background pollers are bounded (issue 17, finding 4): one per tab and dossier, ended with the tab, capped."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from onestop.ui import live, pollers


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pollers, "_active", {})
    yield


def test_repeated_calls_for_one_tab_and_dossier_get_one_poller():
    first = pollers.acquire("tab-1", 7, ticket=1)
    assert first is not None
    assert all(pollers.acquire("tab-1", 7, ticket=1) is None for _ in range(4800))
    assert pollers.active() == 1


def test_a_new_page_load_takes_the_lease_over():
    old = pollers.acquire("tab-1", 7, ticket=1)
    new = pollers.acquire("tab-1", 7, ticket=2)
    assert old is not None and new is not None
    assert not pollers.holds(old) and pollers.holds(new)
    pollers.release(old)  # the old poller ending must not free the new one's lease
    assert pollers.holds(new) and pollers.active() == 1
    assert pollers.acquire("tab-1", 7, ticket=1) is None  # an older ticket never comes back


def test_other_dossiers_and_tabs_have_their_own_and_the_cap_holds(monkeypatch):
    monkeypatch.setattr(pollers, "MAX_POLLERS", 10)
    leases = [pollers.acquire(f"tab-{i}", i % 3, ticket=1) for i in range(25)]
    assert sum(lease is not None for lease in leases) == 10
    for lease in leases:
        if lease is not None:
            pollers.release(lease)
    assert pollers.active() == 0
    assert pollers.acquire("tab-99", 1, ticket=1) is not None


def test_no_token_no_poller():
    assert pollers.acquire("", 7, ticket=1) is None


def test_a_closed_tab_ends_its_poller(monkeypatch):
    sockets = {"tab-1": "sid-1"}
    fake_app = SimpleNamespace(event_namespace=SimpleNamespace(token_to_sid=sockets))
    monkeypatch.setattr(live, "_app", fake_app)
    assert pollers.connected("tab-1")
    del sockets["tab-1"]  # the websocket went away
    assert not pollers.connected("tab-1")
    assert not pollers.connected("never-connected")


def test_track_watch_uses_the_registry():
    """The tracking page's poller asks for a lease, checks it and the connection each round, and gives it back."""
    import inspect

    from onestop.ui.citizen.track import TrackState

    source = inspect.getsource(TrackState.watch.fn)
    for needed in ("pollers.acquire(", "pollers.holds(lease)", "pollers.connected(client)", "pollers.release(lease)"):
        assert needed in source
