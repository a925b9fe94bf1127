"""Load bench of what users wait on: real Reflex events over the websocket, many clients at once.

Why this and not the SQL benches alone: an officer waits for the Reflex event — the socket.io
message, the state lock, the handler (its SQL, its shaping), the delta serialisation — and the
worker's one event loop is shared by every client. This client speaks the browser's protocol
(socket.io on `/_event`, `query.token`, `event` messages with `name`/`payload`/`router_data`) and
times each event from send to the state delta that answers it.

Scenarios:
- `officer`: sign in as the demo receiver, open the inbox (`InboxState.load`), then change tab
  (`select_tab`) — the clicks measured.
- `citizen`: open the catalog (`CatalogState.load`) with a search query — the clicks measured.

Modes:
- `burst`: every client clicks at the same instant, `--rounds` times (the "200 officers at once" case);
- `steady`: each client clicks once every `--interval` seconds with random phase, for `--seconds`.

Prints p50/p95/p99, events/s, errors, and the backend's RSS before/after divided by clients (memory
per client), read with psutil from the process listening on the port.

Run against a production server (`--backend-only` is refused: rxconfig.py sets the frontend port too):

    ONESTOP_DATA_DIR=var/bench onestop migrate && ONESTOP_DATA_DIR=var/bench onestop seed --demo
    ONESTOP_DATA_DIR=var/bench ONESTOP_PORT=8300 ONESTOP_SCHEDULER=false reflex run --env prod &
    python bench/ws_load.py --url http://127.0.0.1:8300 --clients 200 --mode burst --rounds 5
    python bench/ws_load.py --url http://127.0.0.1:8300 --clients 200 --mode steady --interval 2 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import socketio

OFFICER_LOGIN = "0901000003"  # the demo receiver (onestop/demo/catalog.py)
PASSWORD = "Demo@2026"
#: Five real tabs (read.inbox.TABS), so that each click of a client changes its tab: an event that changes nothing
#: gets no answer from Reflex (no delta, nothing sent), and the bench would wait for it in vain.
TABS = ["open", "to_receive", "supplement", "results", "overdue"]
#: Reflex listens on the socket.io namespace named like its endpoint path (reflex_base.config.get_event_namespace).
NAMESPACE = "/_event"
QUERIES = ["khai sinh", "ket hon", "chung thuc", "dat dai", "ho kinh doanh", "giay phep lai xe"]


def state_names() -> dict[str, str]:
    """Full Reflex names of the states the scenarios use, found by class name (robust to module moves)."""
    import reflex as rx

    import onestop.onestop  # noqa: F401 - registers every state

    found: dict[str, str] = {}
    stack = [rx.State]
    while stack:
        cls = stack.pop()
        found.setdefault(cls.__name__, cls.get_full_name())
        stack.extend(cls.get_substates())
    return found


@dataclass
class Recorder:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0


class Client:
    """One browser tab: its own token, its own socket, events sent one at a time like a person clicking."""

    def __init__(self, url: str, names: dict[str, str]) -> None:
        self.url = url
        self.names = names
        self.token = str(uuid.uuid4())
        self.tab = "open"  # the officer scenario's current tab
        self.sio = socketio.AsyncClient(reconnection=False)
        self._waiter: tuple[Callable[[dict[str, Any]], bool], asyncio.Future[None]] | None = None
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    async def _on_update(self, update: dict[str, Any]) -> None:
        if self._waiter is None:
            return
        predicate, fut = self._waiter
        delta = update.get("delta") or {}
        if not fut.done() and predicate(delta):
            fut.set_result(None)

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.url}?token={self.token}",
            socketio_path="_event",
            transports=["websocket"],
            namespaces=[NAMESPACE],
            wait_timeout=30,
        )

    async def send(
        self,
        state: str,
        handler: str,
        payload: dict[str, Any],
        path: str,
        done: Callable[[dict[str, Any]], bool],
        timeout: float = 60.0,
    ) -> float:
        """Emit one event and wait for the delta that answers it; returns milliseconds."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiter = (done, fut)
        event = {
            "name": f"{self.names[state]}.{handler}",
            "payload": payload,
            "router_data": {"pathname": path, "asPath": path, "query": {}},
        }
        started = time.perf_counter()
        await self.sio.emit("event", event, namespace=NAMESPACE)
        try:
            await asyncio.wait_for(fut, timeout)
        finally:
            self._waiter = None
        return (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        await self.sio.disconnect()


def touches(state_full_name: str, var: str | None = None) -> Callable[[dict[str, Any]], bool]:
    """A delta that changes `state` (and, if given, a var whose name starts with `var`)."""

    def check(delta: dict[str, Any]) -> bool:
        part = delta.get(state_full_name)
        if part is None:
            return False
        return var is None or any(key.startswith(var) for key in part)

    return check


#: Sign-ins one at a time: every bench client is the same account from the same address, and the sign-in
#: throttle (issue 17) refuses parallel attempts of one account and address beyond its limit, as it must.
_SIGN_IN_GATE: asyncio.Semaphore | None = None


async def officer_setup(client: Client) -> None:
    global _SIGN_IN_GATE  # noqa: PLW0603 - created inside the running loop
    names = client.names
    _SIGN_IN_GATE = _SIGN_IN_GATE or asyncio.Semaphore(1)
    async with _SIGN_IN_GATE:
        await client.send(
            "LoginState",
            "sign_in",
            {"form": {"login": OFFICER_LOGIN, "password": PASSWORD}},
            "/login",
            touches(names["SessionState"], "user_role"),
        )
    await client.send("InboxState", "load", {}, "/officer", touches(names["InboxState"], "rows"))


async def officer_click(client: Client, i: int) -> float:
    tab = TABS[i % len(TABS)]
    if tab == client.tab:  # never the tab already shown (the page opens on "open")
        tab = TABS[(i + 1) % len(TABS)]
    client.tab = tab
    return await client.send("InboxState", "select_tab", {"tab": tab}, "/officer", touches(client.names["InboxState"]))


async def citizen_setup(client: Client) -> None:
    return None


async def citizen_click(client: Client, i: int) -> float:
    q = QUERIES[i % len(QUERIES)]
    path = f"/procedures?q={q.replace(' ', '+')}"
    client_state = client.names["CatalogState"]
    return await client.send("CatalogState", "load", {}, path, touches(client_state))


SCENARIOS = {"officer": (officer_setup, officer_click), "citizen": (citizen_setup, citizen_click)}


def backend_rss_mb(port: int) -> float | None:
    """Resident memory of the process (and its children) serving `port`, in MiB."""
    try:
        import psutil
    except ImportError:
        return None
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            proc = psutil.Process(conn.pid)
            # granian: the listener is the parent, the workers are its children
            procs = [proc, *proc.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs) / 2**20
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(args: argparse.Namespace) -> None:
    names = state_names()
    setup, click = SCENARIOS[args.scenario]
    port = int(args.url.rsplit(":", 1)[1].split("/")[0])
    rss_before = backend_rss_mb(port)
    clients = [Client(args.url, names) for _ in range(args.clients)]
    sem = asyncio.Semaphore(20)  # connect and sign in 20 at a time, as people arrive, not all in one instant

    async def prepare(c: Client) -> None:
        async with sem:
            await c.connect()
            await setup(c)

    t0 = time.perf_counter()
    await asyncio.gather(*(prepare(c) for c in clients))
    setup_s = time.perf_counter() - t0
    rss_ready = backend_rss_mb(port)
    rec = Recorder()

    async def one(c: Client, i: int) -> None:
        try:
            rec.latencies_ms.append(await click(c, i))
        except TimeoutError:
            rec.timeouts += 1
        except Exception:  # noqa: BLE001 - counted, the bench goes on
            rec.errors += 1

    started = time.perf_counter()
    if args.mode == "burst":
        for r in range(args.rounds):
            await asyncio.gather(*(one(c, r + k) for k, c in enumerate(clients)))
    else:
        end = started + args.seconds

        async def steady(c: Client, k: int) -> None:
            await asyncio.sleep(random.uniform(0, args.interval))
            i = k
            while time.perf_counter() < end:
                t = time.perf_counter()
                await one(c, i)
                i += 1
                await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - t)))

        await asyncio.gather(*(steady(c, k) for k, c in enumerate(clients)))
    wall = time.perf_counter() - started
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)

    lat = rec.latencies_ms
    print(
        f"scenario={args.scenario} mode={args.mode} clients={args.clients} "
        f"{'rounds=' + str(args.rounds) if args.mode == 'burst' else f'interval={args.interval}s seconds={args.seconds}'}"
    )
    print(f"setup (connect + sign in + open page): {setup_s:.1f} s")
    if lat:
        print(
            f"events={len(lat)} errors={rec.errors} timeouts={rec.timeouts} wall={wall:.1f} s "
            f"events/s={len(lat) / wall:.1f}"
        )
        print(
            f"latency ms: p50={percentile(lat, 0.5):.0f} p95={percentile(lat, 0.95):.0f} "
            f"p99={percentile(lat, 0.99):.0f} max={max(lat):.0f} mean={statistics.fmean(lat):.0f}"
        )
    else:
        print(f"no event answered: errors={rec.errors} timeouts={rec.timeouts}")
    if rss_before is not None and rss_ready is not None:
        per = (rss_ready - rss_before) / max(1, args.clients) * 1024
        print(f"backend RSS: {rss_before:.0f} MiB before, {rss_ready:.0f} MiB with clients ({per:.0f} KiB per client)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8300")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="officer")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--mode", choices=["burst", "steady"], default="burst")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
