"""Live updates: an officer's action shows on open pages within seconds, without reload.

How: services publish `DossierChanged` after commit (onestop.services.bus). Pages
register their client token under topics ("dossier:12", "center:3", "user:7") in
their on_load. A change is delivered to each registered tab through
`app.modify_state`, which calls the state's `_live_refresh()` (a backend-only
method that re-reads through the services) and pushes the delta to the browser.

With several workers (Redis configured) every worker publishes changes on a Redis
channel and every worker delivers them to the tabs it registered, so a change made
on worker A (or by the scheduler, or the field API) reaches a tab held by worker B.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict

import reflex as rx

from onestop.services import bus
from onestop.settings import get_settings

log = logging.getLogger(__name__)
CHANNEL = "onestop:dossier-changes"
#: A tab that has not re-registered for this long is forgotten (Reflex's token expiry is 1 h).
TTL_SECONDS = 3600

_lock = threading.Lock()
#: (client_token, state class) → (topics, registered at)
_subscriptions: dict[tuple[str, type[rx.State]], tuple[frozenset[str], float]] = {}
_app: rx.App | None = None
_loop: asyncio.AbstractEventLoop | None = None
#: Told of every change heard from another worker before its tabs refresh (this worker's own reach the bus).
_remote_hooks: list[Callable[[bus.DossierChanged], None]] = []


def on_remote_change(fn: Callable[[bus.DossierChanged], None]) -> None:
    """Call `fn` with each change another worker announces (e.g. to drop a shared read: ui.officer.inbox_cache)."""
    if fn not in _remote_hooks:
        _remote_hooks.append(fn)


def topics_for(change: bus.DossierChanged) -> set[str]:
    out = {f"dossier:{change.dossier_id}"} | {f"center:{c}" for c in change.center_ids}
    if change.applicant_user_id:
        out.add(f"user:{change.applicant_user_id}")
    return out


def register(token: str, state_cls: type[rx.State], topics: Iterable[str]) -> None:
    """Call from an event handler: this tab wants `state_cls._live_refresh()` on these topics."""
    global _loop
    with contextlib.suppress(RuntimeError):
        _loop = asyncio.get_running_loop()
    if not token:
        return
    with _lock:
        _subscriptions[(token, state_cls)] = (frozenset(topics), time.monotonic())


def unregister(token: str, state_cls: type[rx.State]) -> None:
    with _lock:
        _subscriptions.pop((token, state_cls), None)


def _targets(topics: set[str]) -> list[tuple[str, type[rx.State]]]:
    now = time.monotonic()
    with _lock:
        expired = [k for k, (_, at) in _subscriptions.items() if now - at > TTL_SECONDS]
        for key in expired:
            del _subscriptions[key]
        return [key for key, (wanted, _) in _subscriptions.items() if wanted & topics]


async def _deliver(topics: set[str]) -> None:
    if _app is None:
        return
    for token, state_cls in _targets(topics):
        try:
            async with _app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
                state = await root.get_state(state_cls)
                refresh = getattr(state, "_live_refresh", None)
                if refresh is not None:
                    result = refresh()
                    if asyncio.iscoroutine(result):
                        await result
        except Exception:  # noqa: BLE001 - a closed tab must not stop delivery to the others
            log.debug("live update to %s failed; forgetting it", token, exc_info=True)
            unregister(token, state_cls)


#: Deliveries and publishes under way. The event loop holds its tasks only weakly: a task nobody references can be
#: garbage-collected while it awaits Redis, and its change is then never heard (seen in CI: "Task was destroyed
#: but it is pending!" for `_publish_redis`, and an inbox on the other worker that never updated).
_running: set[asyncio.Task] = set()


def _spawn(coro_factory) -> None:  # noqa: ANN001
    """On the loop: start the coroutine as a task and hold it until it is done."""
    task = asyncio.get_running_loop().create_task(coro_factory())
    _running.add(task)
    task.add_done_callback(_running.discard)


def _schedule(coro_factory) -> None:  # noqa: ANN001
    """Run `coro_factory()` on the worker's loop, from the loop or from a database thread (after a commit)."""
    loop = _loop
    if loop is None or loop.is_closed():
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        _spawn(coro_factory)
    else:
        loop.call_soon_threadsafe(_spawn, coro_factory)  # the coroutine is made on the loop's own thread too


def _on_change(change: bus.DossierChanged) -> None:
    """Bus subscriber: fan out locally, or through Redis so every worker hears it."""
    redis_url = get_settings().redis_url
    if redis_url:
        payload = json.dumps(asdict(change))
        _schedule(lambda: _publish_redis(redis_url, payload))
    else:
        topics = topics_for(change)
        _schedule(lambda: _deliver(topics))


async def _publish_redis(url: str, payload: str) -> None:
    import redis.asyncio as redis

    client = redis.from_url(url)
    try:
        await client.publish(CHANNEL, payload)
    finally:
        await client.aclose()


async def _listen_redis(url: str) -> None:
    """Each worker: deliver every change published by any worker to the tabs it holds."""
    import redis.asyncio as redis

    while True:
        try:
            client = redis.from_url(url)
            pubsub = client.pubsub()
            await pubsub.subscribe(CHANNEL)
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                data = json.loads(message["data"])
                change = bus.DossierChanged(**{**data, "center_ids": tuple(data["center_ids"])})
                for hook in list(_remote_hooks):
                    hook(change)
                await _deliver(topics_for(change))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - reconnect after a Redis hiccup
            log.warning("live updates: Redis listener failed; retrying in 2 s", exc_info=True)
            await asyncio.sleep(2)


@contextlib.asynccontextmanager
async def lifespan():
    """Remember the worker's event loop; with Redis, run the listener for the worker's lifetime."""
    global _loop
    _loop = asyncio.get_running_loop()
    redis_url = get_settings().redis_url
    task = asyncio.create_task(_listen_redis(redis_url)) if redis_url else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()


def install(app: rx.App) -> None:
    """Wire the notifier into the app (called once from onestop.onestop)."""
    global _app
    _app = app
    bus.subscribe(_on_change)
    app.register_lifespan_task(lifespan)
