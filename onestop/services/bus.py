"""After-commit change feed: services publish, the UI's notifier and jobs subscribe.

Why: the design wants an officer's action on the citizen's open tracking page and
on other inboxes within seconds. Services stay unaware of Reflex; they publish a
small `DossierChanged` after their transaction commits, and whoever cares (the
UI notifier, a Redis bridge with several workers) subscribes here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DossierChanged:
    dossier_id: int
    code: str | None
    action: str
    status: int
    center_ids: tuple[int, ...]
    applicant_user_id: int | None


_subscribers: list[Callable[[DossierChanged], None]] = []


def subscribe(fn: Callable[[DossierChanged], None]) -> None:
    if fn not in _subscribers:
        _subscribers.append(fn)


def unsubscribe(fn: Callable[[DossierChanged], None]) -> None:
    if fn in _subscribers:
        _subscribers.remove(fn)


def publish(change: DossierChanged) -> None:
    """Deliver to every subscriber; a failing subscriber never breaks the use case."""
    for fn in list(_subscribers):
        try:
            fn(change)
        except Exception:
            log.exception("dossier change subscriber failed")
