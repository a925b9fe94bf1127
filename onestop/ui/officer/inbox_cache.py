"""One read of an inbox page and of its tab counts for every officer of a center, reused for at most two seconds.

Why: an officer's tab change cost ~25 ms of the worker's CPU, almost all of it our read — the seven-tab count,
the page, its shaping (working time left per row, the calendar, the reception count) — so 200 officers of a
center clicking at once queued for 5 s behind one another (bench/README.md, issue 11). They look at the same few
pages (a tab, its first page, no filter): the first tab reads, the others reuse what it read.

An entry is reused only while all of these hold:
- no change of its scope was announced since its read began: every dossier change is announced after commit
  (services.bus; `perform` names the center a transferred dossier leaves as well), `changed` bumps the scope's
  generation — also for changes made on another worker (onestop.ui.live hands on what it hears from Redis);
- it is younger than TTL_SECONDS by the process clock: the backstop for what nobody announces (an administrator's
  calendar edit, a script writing to the database) and for what time alone changes (a dossier becoming late at
  its due moment, "còn 3 giờ làm việc");
- the application clock (onestop.clock, which the tests move) is at most TTL_SECONDS past the moment it was read
  at, and not before it.
So a page is never older than TTL_SECONDS, and an officer's own action shows on their next read at once.

Single flight: when 200 tabs ask at once for an entry that is missing, one read runs (in the database thread
pool) and the others await it without holding a database thread. Only the event loop touches the entries.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from onestop import clock
from onestop.read import inbox, inbox_rows
from onestop.read.inbox import InboxFilter, ScopeCounts
from onestop.read.inbox_rows import InboxLine, InboxView
from onestop.services import bus
from onestop.services.actor import Actor
from onestop.ui import live
from onestop.ui.offload import db_read

T = TypeVar("T")
Scope = tuple[str, int | None]

#: The longest an entry is reused, whatever was announced (seconds).
TTL_SECONDS = 2.0
#: Entries kept at most (a center's tabs × pages × filters in use); stale ones go first, then the oldest.
MAX_ENTRIES = 1024

_TTL = timedelta(seconds=TTL_SECONDS)
_lock = threading.Lock()  # `changed` runs in database threads (after commit) and on the loop (Redis)
_generations: dict[Scope, int] = {}


@dataclass(frozen=True)
class _Entry:
    value: Any
    generation: int
    at: float  # time.monotonic() when the read began
    clock_at: datetime  # onestop.clock.now() when the read began


_entries: dict[tuple, _Entry] = {}
_flights: dict[tuple, asyncio.Task] = {}


def changed(center_ids: Iterable[int | None]) -> None:
    """Dossiers of these centers changed: nothing read before this is reused for them (nor province-wide)."""
    with _lock:
        for center_id in {*center_ids}:
            key = ("center", center_id)
            _generations[key] = _generations.get(key, 0) + 1
        _generations[("all", None)] = _generations.get(("all", None), 0) + 1


def _on_change(change: bus.DossierChanged) -> None:
    changed(change.center_ids)


bus.subscribe(_on_change)  # this worker's commits (after commit, in the committing thread)
live.on_remote_change(_on_change)  # other workers' commits, heard through Redis before their tabs refresh


def clear() -> None:
    """Forget every entry (tests; a worker never needs it)."""
    _entries.clear()


def _fresh(entry: _Entry, generation: int, now: float, today: datetime) -> bool:
    return (
        entry.generation == generation
        and 0.0 <= now - entry.at < TTL_SECONDS
        and timedelta(0) <= today - entry.clock_at < _TTL
    )


def _store(key: tuple, entry: _Entry) -> None:
    _entries.pop(key, None)
    _entries[key] = entry  # newest last
    if len(_entries) > MAX_ENTRIES:
        now = time.monotonic()
        for k in [k for k, e in _entries.items() if now - e.at >= TTL_SECONDS]:
            del _entries[k]
        while len(_entries) > MAX_ENTRIES // 2:
            del _entries[next(iter(_entries))]


async def shared(key: tuple, scope: Scope, read: Callable[[], Awaitable[T]]) -> T:
    """The value of `read()` for `key`, read at most once per change of `scope` and per TTL_SECONDS."""
    with _lock:
        generation = _generations.get(scope, 0)
    now, today = time.monotonic(), clock.now()
    entry = _entries.get(key)
    if entry is not None and _fresh(entry, generation, now, today):
        return entry.value
    flight_key = (key, generation)
    task = _flights.get(flight_key)
    if task is None or task.get_loop() is not asyncio.get_running_loop():

        async def run() -> T:
            value = await read()
            _store(key, _Entry(value, generation, now, today))
            return value

        # A task of its own: a client that goes away mid-read (its event cancelled) does not cancel the others'.
        task = asyncio.ensure_future(run())
        _flights[flight_key] = task
        task.add_done_callback(lambda t: _flights.pop(flight_key, None) if _flights.get(flight_key) is t else None)
    return await asyncio.shield(task)


@dataclass(frozen=True)
class Page:
    """A page as read, and the same rows as the page sends them, made once per read for every officer of the scope.

    `lines` and `versions` are shared by every state that shows this page: assign them, never change them in place.
    """

    view: InboxView  # as read (its `mine` marks are the reader's: see counts_and_page)
    lines: list[InboxLine]
    versions: dict[int, int]  # dossier id -> version, for the bulk actions' optimistic check


def _page_key(scope: Scope, actor: Actor, tab: str, flt: InboxFilter, after: str, limit: int) -> tuple:
    # "mine" lists one officer's dossiers; every other tab is the same for the whole scope.
    return ("page", scope, tab, flt, after, limit, actor.user_id if tab == "mine" else None)


async def _counts_and_shared_page(
    actor: Actor, tab: str, flt: InboxFilter, after: str, limit: int
) -> tuple[dict[str, int], Page]:
    scope = inbox.scope_key(actor)  # refuses a non-officer before anything is read or reused

    async def read_page() -> Page:
        view = await db_read(inbox_rows.inbox_view, actor, tab, flt, after=after, limit=limit)
        return Page(view, [inbox_rows.line_of(i) for i in view.items], {i.id: i.version for i in view.items})

    counts: ScopeCounts = await shared(("counts", scope), scope, lambda: db_read(inbox.scope_counts, actor))
    page: Page = await shared(_page_key(scope, actor, tab, flt, after, limit), scope, read_page)
    return counts.for_actor(actor), page


async def counts_and_page(
    actor: Actor, tab: str, flt: InboxFilter, after: str, limit: int
) -> tuple[dict[str, int], InboxView]:
    """The tab counts and one page of `tab` as `actor` sees them (`read.inbox.scope_counts`,
    `read.inbox_rows.inbox_view`), shared with the other officers of the actor's scope."""
    counts, page = await _counts_and_shared_page(actor, tab, flt, after, limit)
    return counts, page.view.for_officer(actor)


async def counts_and_lines(
    actor: Actor, tab: str, flt: InboxFilter, after: str, limit: int
) -> tuple[dict[str, int], Page]:
    """`counts_and_page` for the inbox page: the rows as it sends them (`Page.lines`), the same list for every
    officer of the scope, so that an officer's tab change neither copies nor re-shapes them."""
    return await _counts_and_shared_page(actor, tab, flt, after, limit)
