"""Bounds on background pollers: one per tab and dossier, none after the tab is gone, a global cap.

Why (issue 17, finding 4): every call of `TrackState.watch` — and a client may call
it by name over the websocket as often as it likes — started a poller that lived up
to 30 minutes, even after the tab closed; 4,800 of them took a worker to 85 % CPU.
A poller now holds a lease from this registry for (tab token, dossier): a newer page
load takes the lease over (the old poller sees it lost it and stops), a repeated call
with the same ticket is refused, the process never runs more than `MAX_POLLERS`, and
a poller stops as soon as its tab's websocket is no longer connected to this worker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

#: Pollers per worker process at most (each wakes every few seconds for a one-row read).
MAX_POLLERS = 300


@dataclass(frozen=True)
class Lease:
    token: str
    dossier_id: int
    ticket: int


_active: dict[tuple[str, int], Lease] = {}
_lock = threading.Lock()


def acquire(token: str, dossier_id: int, ticket: int) -> Lease | None:
    """A lease for this tab and dossier, or None (already watched at this ticket, or the cap is reached)."""
    if not token:
        return None
    key = (token, dossier_id)
    with _lock:
        current = _active.get(key)
        if current is not None and current.ticket >= ticket:
            return None
        if current is None and len(_active) >= MAX_POLLERS:
            return None
        lease = Lease(token, dossier_id, ticket)
        _active[key] = lease
        return lease


def holds(lease: Lease) -> bool:
    """Still the poller for its tab and dossier (not taken over by a newer page load)."""
    with _lock:
        return _active.get((lease.token, lease.dossier_id)) is lease


def release(lease: Lease) -> None:
    with _lock:
        if _active.get((lease.token, lease.dossier_id)) is lease:
            del _active[(lease.token, lease.dossier_id)]


def active() -> int:
    with _lock:
        return len(_active)


def connected(token: str) -> bool:
    """Whether this tab's websocket is still connected to this worker (True when no app runs: tests, CLI)."""
    from onestop.ui import live

    app = live._app
    namespace = getattr(app, "event_namespace", None) if app is not None else None
    if namespace is None:
        return True
    try:
        return token in namespace.token_to_sid
    except Exception:  # noqa: BLE001 - an unknown token manager: do not keep pollers alive on a guess
        return False
