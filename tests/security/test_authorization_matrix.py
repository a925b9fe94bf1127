"""Every event handler of every Reflex state, invoked from every role: nothing changes where the role may not act.

Why introspection: the attacker's probe (issue 17) called 204 handlers by name over the websocket; a handler
added later must be covered without anyone remembering to add it here. The states are found by walking the
subclasses of `rx.State` defined under `onestop/ui/`, and each one's `event_handlers`. For each role the tab is
signed in (a real session token in `SessionState`), the page's `load` runs first (as a browser does), then the
handler is called with plausible arguments aimed at one X01 dossier. A snapshot of the tables that matter
(dossiers, audit events, users, calendar, catalog, centers, payments, appointments) is compared before and after:
a change is a failure unless `ALLOWED` lists (state, handler) for that role. The rendered state of an anonymous
visitor and of an officer of another center must not contain the applicant's ID number or phone (no leak).

Not invoked: `setvar` (Reflex's generic setter changes a front-end var only; it cannot reach the database) and
background handlers (they need a live state manager; `TrackState.watch` is covered by tests/security/test_pollers.py,
the kiosk ticker reads only).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import typing
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.istate.data import RouterData
from sqlmodel import SQLModel

import onestop.onestop  # noqa: F401  (registers every page, so the dynamic route vars such as `code` exist)
from onestop import clock
from onestop.db import get_engine, transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain.lifecycle import Action
from onestop.models import Dossier
from onestop.services import auth
from onestop.services.dossiers import perform
from onestop.ui.session import SessionState
from tests.integration.helpers import PHONES, actor, center, file_online, user

MONDAY = datetime(2026, 11, 23, 9, 0)

#: Tables whose rows must not change when a role may not act (volatile sign-in columns left out).
WATCHED = {
    "dossier": (),
    "dossier_event": (),
    "app_user": ("last_login_at", "updated_at"),
    "procedure_field": (),
    "resident": (),
    "catalog_event": (),
    "calendar_override": (),
    "procedure": (),
    "center": (),
    "counter": (),
    "payment": (),
    "appointment": (),
    "appointment_slot": (),
    "consent": (),
    "rating": (),
    "queue_ticket": (),
    "queue_policy": (),
}

STAFF = ("receiver", "specialist", "leader", "admin")
#: (state, handler) → the roles that legitimately change the watched tables with it.
ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    ("LangState", "toggle"): frozenset({"citizen", "supporter", *STAFF, "outsider"}),  # one's own language
    ("DossierState", "submit_action"): frozenset({"receiver", "leader", "admin"}),
    ("DossierState", "take_payment"): frozenset({"receiver", "admin"}),
    ("AdminCalendarState", "add"): frozenset({"admin"}),
    ("AdminCalendarState", "remove"): frozenset({"admin"}),
    ("AdminUsersState", "save"): frozenset({"admin"}),
    ("AdminCentersState", "save_center"): frozenset({"admin"}),
    ("AdminCentersState", "save_counter"): frozenset({"admin"}),
    ("AdminCentersState", "delete_counter"): frozenset({"admin"}),
    ("AdminProceduresState", "save"): frozenset({"admin"}),
    ("FormBuilderState", "save"): frozenset({"admin"}),
    ("FormBuilderState", "publish"): frozenset({"admin"}),
    ("CatalogImportState", "apply"): frozenset({"admin"}),
    ("QueuePanelState", "save_policy"): frozenset({"receiver", "leader", "admin"}),
    ("QueuePanelState", "press"): frozenset(STAFF),  # its "call next" button
    ("QueuePanelState", "call_ticket"): frozenset(STAFF),  # "call this number" where picking is allowed
    ("TicketState", "take"): frozenset({"anonymous", "citizen", "supporter", *STAFF}),
    ("AppointmentsState", "book"): frozenset({"citizen"}),
    ("AppointmentsState", "cancel"): frozenset({"citizen"}),
    ("RateState", "send"): frozenset({"citizen"}),
    ("PasswordState", "submit"): frozenset({"citizen", "supporter", *STAFF}),
    ("LoginState", "sign_in"): frozenset(),
}

ROLES = ("anonymous", "citizen", "supporter", "receiver", "specialist", "leader", "admin", "outsider")
#: Roles that must never see the X01 dossier's applicant particulars.
NO_SIGHT = ("anonymous", "outsider")


def _states() -> list[type[rx.State]]:
    seen: dict[str, type[rx.State]] = {}
    stack: list[type] = [rx.State]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("onestop.ui.") and not getattr(sub, "_mixin", False):
                seen[sub.get_full_name()] = sub
    return [seen[k] for k in sorted(seen)]


def _handlers(cls: type[rx.State]) -> list[str]:
    return sorted(
        name
        for name, handler in cls.event_handlers.items()
        if name != "setvar" and not getattr(handler, "is_background", False)
    )


STATES = _states()


def test_the_harness_finds_the_states_and_handlers():
    names = {cls.__name__ for cls in STATES}
    assert {"DossierState", "AdminUsersState", "ApplyState", "TrackState", "SessionState"} <= names
    assert "submit_action" in _handlers(next(c for c in STATES if c.__name__ == "DossierState"))
    assert sum(len(_handlers(c)) for c in STATES) > 150


# --------------------------------------------------------------------------- the world one handler sees


class World:
    """The dossier and people the handlers are aimed at."""

    def __init__(self, session) -> None:  # noqa: ANN001
        clock.set_now(MONDAY)
        d = file_online(session)
        with transaction(session):
            d = perform(session, actor(session, "receiver"), d.id, Action.RECEIVE, expected_version=d.version)
        self.dossier_id, self.code, self.version = d.id, d.code, d.version
        self.national_id, self.phone = d.applicant_national_id or "", d.applicant_phone or ""
        self.specialist_id = user(session, "specialist").id
        self.citizen_id = user(session, "citizen").id
        self.other_center_id = center(session, "P01").id
        self.tokens: dict[str, str] = {"anonymous": ""}
        for role in ROLES[1:]:
            phone = PHONES[role] if role != "outsider" else _outsider_phone(session)
            session.commit()
            token, _ = auth.sign_in(session, phone, DEMO_PASSWORD)
            session.commit()
            self.tokens[role] = token

    def form(self) -> dict[str, Any]:
        """A form that would carry out most actions and admin edits if nothing checked who sends it."""
        return {
            "reason": "Kiểm tra quyền",
            "note": "Kiểm tra quyền",
            "opinion": "Đủ điều kiện",
            "amount": "50000",
            "return_method": "electronic",
            "recipient_id": "001099012345",  # not the applicant's: the no-leak check looks for theirs
            "assignee_id": str(self.specialist_id),
            "assignee": str(self.specialist_id),
            "target_center_id": str(self.other_center_id),
            "target_center": str(self.other_center_id),
            "new_due_at": "2026-12-31",
            "current_password": DEMO_PASSWORD,
            "password": "Mùa-thu-Hà-Nội-2026",
            "new_password": "Mùa-thu-Hà-Nội-2026",
            "confirm": "Mùa-thu-Hà-Nội-2026",
            "id": str(self.dossier_id),
            "user_id": str(self.citizen_id),
            "full_name": "Người Lạ",
            "phone": "0909999999",
            "role": "admin",
            "active": "on",
            "require_vneid": "on",
            "day": "2028-05-03",
            "kind": "day_off",
            "name": "Nghỉ thử",
            "code": self.code,
            "q": "Nguyễn",
            "comment": "Thử",
            "stars": "1",
        }

    def arg_for(self, name: str, annotation: Any) -> Any:
        if annotation in (dict, "dict") or name in ("form", "form_data", "data"):
            return self.form()
        if annotation in (bool, "bool"):
            return True
        if annotation in (int, "int") or name.endswith("_id") or name == "id":
            return str(self.dossier_id) if annotation in (str, "str") else self.dossier_id
        if annotation in (float, "float"):
            return 1.0
        if name in ("files", "items") or "list" in str(annotation):
            return []
        if name == "action":
            return Action.STOP.value
        if name == "button":  # QueuePanelState.press: the button that changes most, "call next"
            return "next"
        if name in ("url", "path"):
            return f"/officer/dossiers/{self.code}"
        return self.code


def _outsider_phone(session) -> str:  # noqa: ANN001
    """An officer of another center (P01) with the demo password."""
    from onestop.models import User

    other = session.exec(
        sa.select(User).where(User.center_id == center(session, "P01").id, User.role == "leader")
    ).scalar_one()
    return other.phone


def _snapshot() -> dict[str, list[tuple]]:
    engine = get_engine()
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table, volatile in WATCHED.items():
            t = SQLModel.metadata.tables[table]
            cols = [c for c in t.c if c.name not in volatile]
            out[table] = sorted(tuple(str(v) for v in row) for row in conn.execute(sa.select(*cols)))
    return out


def _diff(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [t for t in before if before[t] != after[t]]


def _tab(world: World, role: str) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    path = f"/officer/dossiers/{world.code}"
    root.router = RouterData.from_router_data(
        {
            "pathname": "/officer/dossiers/[code]",
            "asPath": path,
            "query": {"code": world.code},
            "token": f"tab-{role}",
            "ip": "203.0.113.7",
            "sid": f"sid-{role}",
            "headers": {},
        }
    )
    sess = root.get_substate(SessionState.get_full_name().split(".")[1:])
    sess.token = world.tokens[role]
    return root


async def _run(result: Any) -> None:
    if inspect.isasyncgen(result):
        async for _ in result:
            pass
    elif inspect.iscoroutine(result):
        await result
    elif inspect.isgenerator(result):
        for _ in result:
            pass


def _prime(world: World, state: rx.State) -> None:
    """What earlier clicks would have left in the tab (an attacker sets them too): the action picked, the version seen."""
    primed = {"dlg_action": Action.ASSIGN.value, "form_version": world.version}
    for var, value in primed.items():
        if var in type(state).base_vars:
            setattr(state, var, value)


async def _call(world: World, root: rx.State, cls: type[rx.State], name: str) -> str:
    """The page's load first (as the browser does), then the earlier clicks' state, then the handler."""
    if "load" in cls.event_handlers and name != "load":
        await _invoke(world, root, cls, "load")
    _prime(world, root.get_substate(cls.get_full_name().split(".")[1:]))
    return await _invoke(world, root, cls, name)


async def _invoke(world: World, root: rx.State, cls: type[rx.State], name: str) -> str:
    """Call one handler as the client would (after the page's load); '' or the exception's name."""
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    fn = cls.event_handlers[name].fn
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - forward references the harness cannot resolve: fall back to names
        hints = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    args = [world.arg_for(p.name, hints.get(p.name, p.annotation)) for p in params if p.kind != p.VAR_KEYWORD]
    try:
        await _run(fn(state, *args))
    except Exception as exc:  # noqa: BLE001 - a refusal may be an exception; the database decides
        return type(exc).__name__
    return ""


@pytest.fixture()
def world(session) -> Iterator[World]:  # noqa: ANN001
    languages = session.execute(sa.text("SELECT id, language FROM app_user")).all()
    yield World(session)
    clock.set_now(None)
    # The language switch is allowed to everyone and saves the choice on the account; the seeded accounts are
    # shared by the whole run, so a sweep must not leave an officer in English (a later test's alerts changed).
    with get_engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE app_user SET language = :lang WHERE id = :id"),
            [{"id": uid, "lang": lang} for uid, lang in languages],
        )


@pytest.mark.parametrize("role", ROLES)
def test_no_handler_changes_anything_the_role_may_not_touch(session, world, role):  # noqa: ANN001
    violations: list[str] = []
    leaks: list[str] = []
    invoked = 0
    errors: dict[str, int] = {}

    async def sweep() -> None:
        nonlocal invoked
        before = _snapshot()
        for cls in STATES:
            for name in _handlers(cls):
                root = _tab(world, role)
                outcome = await _call(world, root, cls, name)
                invoked += 1
                key = f"{cls.__name__}.{name}: {outcome}" if outcome else "ran through"
                errors[key] = errors.get(key, 0) + 1
                # nothing writes between one handler's "after" and the next one's call: it is the next "before"
                after = _snapshot()
                changed = _diff(before, after)
                before = after
                if changed and role not in ALLOWED.get((cls.__name__, name), frozenset()):
                    violations.append(f"{cls.__name__}.{name} changed {changed}")
                if role in NO_SIGHT:
                    shown = json.dumps(root.dict(), default=str, ensure_ascii=False)
                    for secret in (world.national_id, world.phone):
                        if secret and secret in shown:
                            leaks.append(f"{cls.__name__}.{name} shows {secret[:3]}…")
                _reset(world, session)

    asyncio.run(sweep())
    raised = {k: n for k, n in errors.items() if k != "ran through"}
    assert invoked > 150
    assert not violations, violations
    assert not leaks, leaks
    assert not raised, raised  # a refusal is a message or a redirect, never a server error


@pytest.mark.parametrize(
    ("role", "state", "handler", "table"),
    [
        ("admin", "AdminCalendarState", "add", "calendar_override"),
        ("receiver", "DossierState", "submit_action", "dossier"),
        ("leader", "DossierState", "submit_action", "dossier_event"),
    ],
)
def test_the_sweep_reaches_the_services_where_the_role_may_act(session, world, role, state, handler, table):  # noqa: ANN001
    """The control: with the same harness an allowed role does change the database, so 'nothing changed' above
    means refused, not 'never reached the use case'."""
    cls = next(c for c in STATES if c.__name__ == state)
    root = _tab(world, role)
    before = _snapshot()
    assert asyncio.run(_call(world, root, cls, handler)) == ""
    assert table in _diff(before, _snapshot())


def _reset(world: World, session) -> None:  # noqa: ANN001
    """Put the dossier back where the next handler expects it (an allowed action may have moved it)."""
    session.expire_all()
    d = session.get(Dossier, world.dossier_id)
    world.version = d.version if d else world.version


@pytest.mark.parametrize("role", ROLES)
def test_picking_a_number_changes_tickets_only_for_staff_of_the_center(session, world, role):  # noqa: ANN001
    """`QueuePanelState.call_ticket` where a leader allowed picking at every X01 counter, aimed at a real waiting
    ticket from a tab that names X01's land counter (an outsider's tab too): X01 staff call it; anyone else changes
    nothing, and an id that is not digits is refused before any use case runs."""
    from onestop.models import Counter, QueuePolicy
    from onestop.services import queue
    from onestop.ui.officer.queue import QueuePanelState

    x01 = center(session, "X01")
    counters = session.exec(sa.select(Counter).where(Counter.center_id == x01.id)).scalars().all()
    land = next(c for c in counters if "land" in (c.field_codes or []))
    with transaction(session) as s:
        s.add(QueuePolicy(center_id=x01.id, pick_counter_ids=[c.id for c in counters]))
        ticket = queue.take_number(s, center_id=x01.id, field_code="land", holder="kiosk", now=MONDAY)
    ticket_id = ticket.id
    root = _tab(world, role)
    state = root.get_substate(QueuePanelState.get_full_name().split(".")[1:])
    call = QueuePanelState.event_handlers["call_ticket"].fn

    async def attempt(raw: str) -> bool:
        await _run(QueuePanelState.event_handlers["load"].fn(state))
        state.counter_id = str(land.id)
        before = _snapshot()
        await _run(call(state, raw))
        return "queue_ticket" in _diff(before, _snapshot())

    assert not asyncio.run(attempt(f"{ticket_id} OR 1=1"))
    assert bool(state.error_en) == (role in (*STAFF, "outsider"))  # refused in words; the others are sent to sign in
    assert not asyncio.run(attempt("9" * 40))
    assert asyncio.run(attempt(str(ticket_id))) == (role in ALLOWED[("QueuePanelState", "call_ticket")])
