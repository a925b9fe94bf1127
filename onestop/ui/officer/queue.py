"""`/officer/queue`: the counter's calling panel — call next, recall, skip, transfer, serve, done.

Why the list to pick from shows only at some counters: the officer presses "call
next" and the center's rules (appointments at their time, the priority lane, first
come first served) choose. A leader may allow picking at a counter (a box per
counter in the center's policy form); there the panel also lists the front of the
counter's line in the order "call next" would take it, each with a "call this
number" button. Each button is one use case in one transaction
(onestop.services.queue); the panel re-reads its counts every few seconds so two
officers see the same line. The chosen counter is remembered in the browser (an
officer sits at the same desk).
"""

from __future__ import annotations

from dataclasses import fields

import reflex as rx

from onestop.db import new_session, transaction
from onestop.domain import queue as rules
from onestop.domain.errors import DomainError, PermissionDenied
from onestop.models import Counter
from onestop.read import queue as read
from onestop.read.choices import Choice
from onestop.read.queue import PanelView
from onestop.services import queue as service
from onestop.services.actor import Actor
from onestop.ui.components.form_field import check_line
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.queue_widgets import error_line, poller
from onestop.ui.components.refusal import RefusalMixin, gated
from onestop.ui.components.styles import CENTER_ROW, TAP_BUTTON, WRAP_ROW, centred, form_row, full, spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.offload import off_loop
from onestop.ui.routes import OFFICER
from onestop.ui.session import SessionState, required_actor
from onestop.ui.theme import TAP

POLL_SECONDS = 5.0


def _counters(token: str) -> list[Choice]:
    actor = required_actor(token)
    if actor.center_id is None:
        return []
    with new_session() as db:
        return read.counters_for(db, actor.center_id)


def _panel(token: str, counter_id: int) -> PanelView:
    actor = required_actor(token)
    with new_session() as db:
        counter = db.get(Counter, counter_id)
        if counter is None or counter.center_id != actor.center_id:
            return PanelView()
        return read.panel_view(db, counter)


def _act(token: str, action: str, counter_id: int, ticket_id: int, extra: str = "") -> None:
    actor = required_actor(token)
    with transaction() as db:
        if action == "next":
            service.call_next(db, actor, counter_id)
        elif action == "recall":
            service.recall(db, actor, counter_id, ticket_id)
        elif action == "skip":
            service.skip(db, actor, counter_id, ticket_id)
        elif action == "start":
            service.start_serving(db, actor, counter_id, ticket_id)
        elif action == "finish":
            service.finish(db, actor, counter_id, ticket_id, dossier_code=extra)
        elif action == "pick":  # the ticket id was checked to be digits by QueuePanelState.call_ticket
            service.call_ticket(db, actor, counter_id, int(extra))
        elif action == "transfer":
            if not extra.isdigit():
                raise DomainError("bad_counter", "Vui lòng chọn quầy.", "Please choose a counter.", field="to_counter")
            service.transfer(db, actor, counter_id, ticket_id, int(extra))


#: The panel's buttons that send nothing but their action (finish and transfer carry a value from the page).
BUTTON_ACTIONS = ("next", "recall", "skip", "start")


#: The policy's whole-number settings, in the rule's own order (read from domain.queue.Policy, never copied).
POLICY_FIELDS = tuple(f.name for f in fields(rules.Policy) if f.type in ("int", int))


def _policy(token: str) -> dict[str, str]:
    actor = required_actor(token)
    if actor.center_id is None:
        return {}
    with new_session() as db:
        p = service.policy_for(db, actor.center_id)
    out = {name: str(getattr(p, name)) for name in POLICY_FIELDS}
    out["priority_mode"], out["speech"] = p.priority_mode, "on" if p.speech else ""
    out["pick_counter_ids"] = ",".join(str(i) for i in p.pick_counter_ids)
    return out


#: The policy form's box for a counter where picking is allowed is named this + the counter's id.
PICK_PREFIX = "pick_"


def _pick_ids(form: dict) -> tuple[int, ...]:
    """The counters ticked in the policy form. A name that is no id becomes 0 (no counter has it), so
    services.queue.set_policy refuses the whole form and nothing changes."""
    out: set[int] = set()
    for name, value in form.items():
        raw = str(name).removeprefix(PICK_PREFIX)
        if raw != str(name) and value:
            out.add(int(raw) if raw.isdigit() and len(raw) <= 9 else 0)
    return tuple(sorted(out))


def _save_policy(token: str, form: dict) -> None:
    actor = required_actor(token)
    if actor.center_id is None:
        raise PermissionDenied()
    values: dict[str, object] = {}
    for name in POLICY_FIELDS:
        raw = str(form.get(name) or "").strip()
        if not raw.isdigit():
            raise DomainError(
                "bad_number", "Vui lòng nhập số nguyên không âm.", "Please enter whole numbers.", field=name
            )
        values[name] = int(raw)
    policy = rules.Policy(
        priority_mode=str(form.get("priority_mode") or ""),
        speech=bool(form.get("speech")),
        pick_counter_ids=_pick_ids(form),
        **values,
    )
    with transaction() as db:
        service.set_policy(db, actor, actor.center_id, policy)


class QueuePanelState(RefusalMixin, rx.State):
    counters: list[Choice] = []
    counter_id: str = rx.LocalStorage("", name="onestop_counter")
    panel: PanelView = PanelView()
    transfer_to: str = ""
    busy: bool = False
    is_leader: bool = False
    policy: dict[str, str] = {}
    policy_key: int = 0
    policy_saved: bool = False

    async def _token(self) -> str:
        return (await self.get_state(SessionState)).token

    @rx.event
    async def save_policy(self, form: dict) -> None:
        self.error_vi = self.error_en = ""
        self.policy_saved = False
        try:
            await off_loop(_save_policy, await self._token(), form)
            self.policy_saved = True
        except DomainError as err:
            self._refuse(err)
        try:  # a refused visitor sees the refusal, not a server error from re-reading the policy
            self.policy = await off_loop(_policy, await self._token())
        except DomainError:
            return
        self.policy_key += 1

    @gated(OFFICER)
    async def load(self, actor: Actor):  # noqa: ANN201
        self.policy_saved = False
        self.is_leader = actor.role in ("leader", "admin") and actor.center_id is not None
        if self.is_leader:
            self.policy = await off_loop(_policy, await self._token())
            self.policy_key += 1
        self.counters = await off_loop(_counters, await self._token())
        ids = [c.value for c in self.counters]
        if self.counter_id not in ids:
            self.counter_id = ids[0] if ids else ""
        await self._refresh()
        return None

    async def _refresh(self) -> None:
        if self.counter_id.isdigit():
            try:
                self.panel = await off_loop(_panel, await self._token(), int(self.counter_id))
            except DomainError as err:
                self._refuse(err)

    @rx.event
    async def tick(self) -> None:
        if not self.busy:
            await self._refresh()

    @rx.event
    async def pick_counter(self, value: str) -> None:
        self.counter_id = value
        await self._refresh()

    @rx.event
    def set_transfer(self, value: str) -> None:
        self.transfer_to = value

    async def _do(self, action: str, extra: str = ""):  # noqa: ANN202
        if self.busy or not self.counter_id.isdigit():
            return None
        self.busy = True
        self.error_vi = self.error_en = ""
        try:
            await off_loop(_act, await self._token(), action, int(self.counter_id), self.panel.ticket_id, extra)
        except DomainError as err:
            self._refuse(err)
        self.busy = False
        await self._refresh()
        return None

    @rx.event
    async def press(self, button: str):  # noqa: ANN201
        """One of the panel's plain buttons (call next, start, recall, skip): the action it names, nothing else."""
        if button not in BUTTON_ACTIONS:
            return None
        return await self._do(button)

    @rx.event
    async def finish(self, form: dict):  # noqa: ANN201
        return await self._do("finish", str(form.get("dossier_code") or "")[:40])

    @rx.event
    async def transfer(self):  # noqa: ANN201
        return await self._do("transfer", self.transfer_to)

    @gated(OFFICER)
    async def call_ticket(self, actor: Actor, ticket_id: str):  # noqa: ANN201, ARG002 - the gate's person
        """The "call this number" button of a counter allowed to pick: the ticket id the browser sent (digits)."""
        raw = str(ticket_id)
        if not (raw.isdigit() and len(raw) <= 9):
            self._refuse(DomainError("ticket_not_found", "Không tìm thấy số thứ tự.", "Ticket not found."))
            return None
        return await self._do("pick", raw)


def _stat(label_key: str, value: rx.Var, ident: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tr(label_key), size="3", color_scheme="gray"),
            rx.text(value, size="8", weight="bold", id=ident),
            spacing="1",
        ),
        size="2",
        min_width="180px",
        flex="1",
    )


#: The center's public screens an officer opens from the panel: (icon, catalog key, path before the center code).
_CENTER_SCREENS = (
    ("monitor", "q.open_display", "/display/"),
    ("tablet-smartphone", "q.open_kiosk", "/kiosk/"),
    ("qr-code", "q.open_poster", "/qr/"),
)


def _ticket_button(icon: str, key: str, handler: rx.EventHandler, disabled: rx.Var, **look: str) -> rx.Component:
    """One of the called ticket's large buttons; its id is "panel-" + the action (e.g. panel-recall)."""
    return rx.button(
        rx.icon(icon, size=20),
        tr(key),
        on_click=handler,
        disabled=disabled,
        size="4",
        min_height=TAP,
        id="panel-" + key.removeprefix("q."),
        **look,
    )


def _counter_select() -> rx.Component:
    return rx.hstack(
        rx.el.label(tr("q.panel_counter"), html_for="counter-select", font_weight="600", font_size="18px"),
        rx.el.select(
            rx.foreach(QueuePanelState.counters, lambda c: rx.el.option(c.label_vi, value=c.value)),
            id="counter-select",
            value=QueuePanelState.counter_id,
            on_change=QueuePanelState.pick_counter,
            style={"min_height": TAP, "font_size": "18px", "padding": "0 12px", "border_radius": "8px"},
        ),
        **CENTER_ROW,
    )


def _current() -> rx.Component:
    p = QueuePanelState.panel
    busy = QueuePanelState.busy
    return rx.card(
        rx.vstack(
            rx.text(tr("q.panel_current"), size="4", color_scheme="gray"),
            rx.cond(
                p.ticket_id > 0,
                rx.vstack(
                    rx.hstack(
                        rx.text(p.number, font_size="72px", font_weight="800", line_height="1", id="panel-number"),
                        rx.vstack(
                            rx.badge(
                                rx.cond(p.status == "serving", tr("q.status.serving"), tr("q.status.called")),
                                size="3",
                                color_scheme=rx.cond(p.status == "serving", "green", "blue"),
                            ),
                            rx.text(bi(p.field_name), size="4"),
                            rx.text(tr("q.calls"), ": ", p.call_count, "/", p.max_calls, size="3"),
                            spacing="1",
                        ),
                        **centred("5"),
                    ),
                    rx.cond(
                        p.status == "called",
                        rx.hstack(
                            _ticket_button(
                                "play", "q.start", QueuePanelState.press("start"), busy, color_scheme="green"
                            ),
                            _ticket_button(
                                "megaphone",
                                "q.recall",
                                QueuePanelState.press("recall"),
                                busy | (p.call_count >= p.max_calls),
                                variant="soft",
                            ),
                            _ticket_button(
                                "user-x",
                                "q.skip",
                                QueuePanelState.press("skip"),
                                busy,
                                variant="soft",
                                color_scheme="red",
                            ),
                            **WRAP_ROW,
                        ),
                        rx.form(
                            rx.hstack(
                                rx.input(
                                    name="dossier_code",
                                    id="panel-dossier",
                                    placeholder=tr("q.dossier_code"),
                                    aria_label=tr("q.dossier_code"),
                                    size="3",
                                    height=TAP,
                                    min_width="280px",
                                    max_length=40,
                                ),
                                worded_button(
                                    "check",
                                    "q.finish",
                                    icon_size=20,
                                    type="submit",
                                    disabled=busy,
                                    size="4",
                                    min_height=TAP,
                                    id="panel-finish",
                                ),
                                **WRAP_ROW,
                            ),
                            on_submit=QueuePanelState.finish,
                            reset_on_submit=True,
                        ),
                    ),
                    rx.hstack(
                        rx.el.label(tr("q.transfer"), html_for="transfer-select", font_size="16px"),
                        rx.el.select(
                            rx.el.option("—", value=""),
                            rx.foreach(p.others, lambda c: rx.el.option(c.label_vi, value=c.value)),
                            id="transfer-select",
                            value=QueuePanelState.transfer_to,
                            on_change=QueuePanelState.set_transfer,
                            style={"min_height": TAP, "font_size": "16px", "padding": "0 8px", "border_radius": "8px"},
                        ),
                        worded_button(
                            "arrow-right-left",
                            "q.transfer_go",
                            on_click=QueuePanelState.transfer,
                            disabled=busy,
                            **TAP_BUTTON,
                            variant="outline",
                        ),
                        **CENTER_ROW,
                    ),
                    spacing="4",
                ),
                rx.text(tr("q.panel_none"), size="4"),
            ),
            worded_button(
                "bell-ring",
                "q.call_next",
                icon_size=28,
                on_click=QueuePanelState.press("next"),
                loading=busy,
                size="4",
                min_height="72px",
                font_size="26px",
                width="100%",
                id="panel-call-next",
            ),
            rx.cond((p.ticket_id == 0) & (p.waiting_here == 0), rx.text(tr("q.empty"), size="3", color_scheme="gray")),
            **spaced("4"),
        ),
        **full("4"),
    )


def _pick_row(row: rx.Var) -> rx.Component:
    """One waiting ticket in a picking counter's list: number, priority, field, minutes waited, "call this"."""
    return rx.el.li(
        rx.hstack(
            rx.text(row.number, font_size="28px", font_weight="800", min_width="88px"),
            rx.cond(row.priority, rx.badge(tr("q.priority_badge"), size="2", color_scheme="orange")),
            rx.text(bi(row.field_name), size="3", flex="1", min_width="160px"),
            rx.text(tr("q.pick_waited"), " ", row.waited, " ", tr("q.minutes"), size="3", color_scheme="gray"),
            worded_button(
                "bell",
                "q.pick_call",
                on_click=QueuePanelState.call_ticket(row.id.to_string()),
                disabled=QueuePanelState.busy,
                variant="soft",
                id="pick-" + row.number,
                **TAP_BUTTON,
            ),
            **CENTER_ROW,
            width="100%",
        ),
        padding_block="6px",
        border_bottom="1px solid var(--gray-5)",
    )


def _pick_list() -> rx.Component:
    """The front of the counter's line, in call order, where a leader allowed picking (PanelView.pickable)."""
    rows = QueuePanelState.panel.pickable
    return rx.card(
        rx.vstack(
            rx.heading(tr("q.pick_title"), as_="h2", size="5", id="pick-title"),
            rx.el.ul(rx.foreach(rows, _pick_row), aria_labelledby="pick-title", id="panel-pick-list", width="100%"),
            **spaced("2"),
        ),
        **full("3"),
    )


def _number_field(name: str) -> rx.Component:
    ident = f"policy-{name}"
    return rx.vstack(
        rx.el.label(tr(f"q.policy.{name}"), html_for=ident, font_size="15px", font_weight="600"),
        rx.input(
            name=name,
            id=ident,
            type="number",
            min="0",
            default_value=QueuePanelState.policy[name],
            size="3",
            height=TAP,
            width="120px",
        ),
        spacing="1",
    )


def _pick_box(counter: rx.Var) -> rx.Component:
    """The policy form's box that allows picking at one counter of the center (named PICK_PREFIX + its id)."""
    ident = counter.value
    return check_line(
        rx.checkbox(
            name=PICK_PREFIX + ident,
            id="policy-pick-" + ident,
            default_checked=QueuePanelState.policy["pick_counter_ids"].split(",").contains(ident),
            size="3",
        ),
        counter.label_vi,
        text_size="3",
        spacing="2",
    )


def _policy_form() -> rx.Component:
    """Leaders and administrators set how the center's queue runs (services.queue.set_policy)."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("q.policy.title"), as_="h2", size="5"),
                rx.hstack(
                    rx.vstack(
                        rx.el.label(
                            tr("q.policy.priority_mode"), html_for="policy-mode", font_size="15px", font_weight="600"
                        ),
                        rx.el.select(
                            rx.el.option(tr("q.policy.mode_interleave"), value="interleave"),
                            rx.el.option(tr("q.policy.mode_first"), value="first"),
                            name="priority_mode",
                            id="policy-mode",
                            default_value=QueuePanelState.policy["priority_mode"],
                            style={"min_height": TAP, "font_size": "16px", "border_radius": "8px"},
                        ),
                        spacing="1",
                    ),
                    *[_number_field(n) for n in POLICY_FIELDS],
                    check_line(
                        rx.checkbox(name="speech", default_checked=QueuePanelState.policy["speech"] == "on", size="3"),
                        "q.policy.speech",
                        text_size="3",
                        spacing="2",
                    ),
                    **form_row("4"),
                ),
                rx.el.fieldset(
                    rx.el.legend(tr("q.policy.pick"), font_size="15px", font_weight="600"),
                    rx.hstack(rx.foreach(QueuePanelState.counters, _pick_box), **WRAP_ROW),
                    id="policy-pick",
                    border="none",
                    padding="0",
                    margin="0",
                ),
                rx.hstack(
                    rx.button(tr("q.policy.save"), type="submit", size="3", min_height=TAP, id="policy-save"),
                    rx.cond(QueuePanelState.policy_saved, rx.text(tr("q.policy.saved"), color="var(--green-11)")),
                    **centred("3"),
                ),
                spacing="3",
            ),
            on_submit=QueuePanelState.save_policy,
            reset_on_submit=False,
            key=QueuePanelState.policy_key.to_string(),
        ),
        width="100%",
    )


def queue_panel_page() -> rx.Component:
    p = QueuePanelState.panel
    return guarded(
        OFFICER,
        poller(QueuePanelState.tick, "panel-tick", POLL_SECONDS),
        rx.vstack(
            rx.heading(tr("q.panel_title"), as_="h1", size="8"),
            _counter_select(),
            error_line(QueuePanelState.error_vi, QueuePanelState.error_en, "panel-error"),
            _current(),
            rx.flex(
                _stat("q.waiting_here", p.waiting_here, "panel-waiting-here"),
                _stat("q.waiting_center", p.waiting_center, "panel-waiting-center"),
                _stat("q.avg_wait", p.average_wait, "panel-avg-wait"),
                _stat("q.served_today", p.served_today, "panel-served"),
                gap="12px",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(p.can_pick & (p.pickable.length() > 0), _pick_list()),
            rx.text(tr("q.updated"), " ", p.updated_at, size="2", color_scheme="gray"),
            rx.cond(QueuePanelState.is_leader, _policy_form()),
            rx.cond(
                p.center_code != "",
                rx.hstack(
                    *(
                        rx.link(rx.icon(icon, size=18), tr(key), href=path + p.center_code, is_external=True, size="3")
                        for icon, key, path in _CENTER_SCREENS
                    ),
                    spacing="5",
                    wrap="wrap",
                ),
            ),
            **spaced("5"),
        ),
        wide=True,
    )
