"""`/officer`: the inbox — tabs with counts, what is late first and in red, filters, keyset pages, bulk.

Why this shape:
- Rows come only from `read.inbox_rows.inbox_view` (→ `read.inbox.inbox_page`,
  keyset on (due_at, id)); the state keeps one page of 50 rows and a stack of
  cursors, so the page is as fast on page 40 as on page 1 with a million dossiers.
- Every list is sorted most urgent first, so overdue dossiers are always at the
  top; their rows carry a red bar, a red tint and the words "Quá hạn … giờ làm việc"
  (never colour alone). A red banner says how many are late and opens them.
- Keyboard: "/" jumps to the search box, j/k move between rows, Enter opens one;
  checkboxes and native selects work with Tab/Space/arrows.
- Live: the tab registers for its center's changes (onestop.ui.live); another
  officer's action or the citizen's supplement re-reads the page within seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from onestop.domain import forms
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, rules_for
from onestop.read import choices
from onestop.read.choices import Choice
from onestop.read.inbox import TABS, InboxFilter
from onestop.read.inbox_rows import InboxLine
from onestop.services import workbench
from onestop.services.actor import Actor
from onestop.services.workbench import BulkOutcome
from onestop.ui import live
from onestop.ui.components.callout import callout, words_and_action
from onestop.ui.components.form_field import CONTROL_STYLE, choice_select, message, search_box
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.styles import (
    COLUMN,
    DESK_BUTTON,
    LINE,
    TAP_BUTTON,
    WRAP_ROW,
    centred,
    full,
    spaced,
    top_aligned,
)
from onestop.ui.components.tab_strip import tab_strip
from onestop.ui.i18n import bi, tr, tr_choice
from onestop.ui.layout import guarded
from onestop.ui.officer import inbox_cache
from onestop.ui.offload import db_read, db_write
from onestop.ui.routes import OFFICER
from onestop.ui.session import SessionState, assign_changed, gate
from onestop.ui.widgets import deadline_chip, empty_state, status_badge

#: (tab, icon, colour) in the order they are shown: what is late comes first.
TAB_SPECS: tuple[tuple[str, str, str], ...] = (
    ("overdue", "alarm-clock", "red"),
    ("to_receive", "inbox", "cyan"),
    ("mine", "user-check", "indigo"),
    ("approval", "stamp", "violet"),
    ("supplement", "file-warning", "orange"),
    ("results", "file-check", "green"),
    ("open", "folders", "blue"),
)
CHANNELS = ("online", "direct", "assisted", "field")
PAGE_SIZE = 50

#: j/k move between rows, "/" focuses the search box (not while typing in a field).
KEYS_JS = """
if (!window.__onestopInboxKeys) {
  window.__onestopInboxKeys = true;
  document.addEventListener('keydown', (e) => {
    if (!document.getElementById('inbox-table')) return;
    const t = e.target; const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
    if (e.key === '/' && !typing) { e.preventDefault(); document.getElementById('inbox-search')?.focus(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key !== 'j' && e.key !== 'k') return;
    const links = Array.from(document.querySelectorAll('#inbox-table a.inbox-code'));
    if (!links.length) return;
    const i = links.indexOf(document.activeElement);
    const next = e.key === 'j' ? Math.min(links.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
    links[next].focus(); links[next].scrollIntoView({block: 'nearest'}); e.preventDefault();
  });
}
"""


def _choices(db: Session, actor: Actor) -> tuple[tuple[list[Choice], list[Choice]], list[Choice], list[Choice]]:
    """The filter, assignee and transfer choices of this officer (read once per page load)."""
    return (
        choices.filter_choices(db, actor),
        choices.assignee_choices(db, actor),
        choices.center_choices(db, actor, exclude=actor.center_id),
    )


class InboxState(rx.State):
    """One page of one tab, the counts, the filters and the selection for bulk actions."""

    tab: str = "open"
    counts: dict[str, int] = {}
    #: The page's rows as sent (read.inbox_rows.InboxLine): the list is shared with the other officers of the center
    #: who look at the same page (inbox_cache), so handlers assign a new list and never change one in place.
    rows: list[InboxLine] = []
    #: Dossier id -> version of the rows shown (not sent to the browser): the bulk actions' optimistic check.
    _versions: dict[int, int] = {}
    #: cursors[i] is where page i starts ("" = the first page); next_cursor "" on the last page.
    cursors: list[str] = [""]
    next_cursor: str = ""
    field_code: str = ""
    procedure_code: str = ""
    channel: str = ""
    received_from: str = ""
    received_to: str = ""
    query: str = ""
    fields: list[Choice] = []
    procedures: list[Choice] = []
    selected: list[int] = []
    assignees: list[Choice] = []
    centers: list[Choice] = []
    bulk_results: list[BulkOutcome] = []
    error_vi: str = ""
    error_en: str = ""
    reception_vi: str = ""  # "N hồ sơ quá hạn tiếp nhận" (domain/reception), "" when none
    reception_en: str = ""

    @rx.var
    def page_number(self) -> int:
        return len(self.cursors)

    @rx.var
    def filtered(self) -> bool:
        return any(
            (self.field_code, self.procedure_code, self.channel, self.received_from, self.received_to, self.query)
        )

    def _filter(self) -> InboxFilter:
        return InboxFilter(
            field_code=self.field_code,
            procedure_code=self.procedure_code,
            channel=self.channel,
            received_from=forms.parse_day(self.received_from),
            received_to=forms.parse_day(self.received_to),
            query=self.query.strip()[:100],
        )

    async def _read(self, actor: Actor) -> None:
        """Counts and the current page, read through the services (never patched in place), off the loop; shared
        with the other officers of the center for at most two seconds and until any of its dossiers changes
        (inbox_cache).

        Only what differs is assigned: every assignment goes to the browser in the event's answer, and the
        counts, the banner and the selection rarely change when the officer changes tab."""
        counts, page = await inbox_cache.counts_and_lines(actor, self.tab, self._filter(), self.cursors[-1], PAGE_SIZE)
        view = page.view
        assign_changed(self, counts=counts, rows=page.lines, next_cursor=view.next_cursor)
        assign_changed(self, reception_vi=view.reception_overdue_vi, reception_en=view.reception_overdue_en)
        self._versions = page.versions  # a backend var: never sent, so no need to compare
        if self.selected:
            assign_changed(self, selected=[i for i in self.selected if i in page.versions])

    async def _actor(self) -> tuple[Actor | None, object]:
        """Every event re-checks the token: a tab kept open after sign-out must not keep reading."""
        return await gate(self, OFFICER)

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await self._actor()
        if actor is None:
            self.rows, self.counts, self._versions = [], {}, {}
            return redirect
        self.cursors, self.selected, self.bulk_results = [""], [], []
        self.error_vi = self.error_en = ""
        (self.fields, self.procedures), self.assignees, self.centers = await db_read(_choices, actor)
        await self._read(actor)
        if actor.center_id is not None:
            live.register(self.router.session.client_token, InboxState, [f"center:{actor.center_id}"])
        return rx.call_script(KEYS_JS)

    async def _live_refresh(self) -> None:
        """A dossier of this center changed (another officer, the citizen, a job): re-read this page."""
        session = await self.get_state(SessionState)
        actor = await session.actor()
        if actor is not None:
            await self._read(actor)

    async def _move(self, change: Callable[[], bool], then: object = None) -> object:
        """Re-check the officer, apply `change` (tab, filters or page), re-read the list when it moved,
        and answer `then` (or the redirect when the officer may not be here).

        Why one path: every way of moving through the list must re-check the token first and re-read
        through the services afterwards; `change` returns False when there is nowhere to move."""
        actor, redirect = await self._actor()
        if actor is None:
            return redirect
        if change():
            await self._read(actor)
        return then

    @rx.event
    async def select_tab(self, tab: str):  # noqa: ANN201
        def change() -> bool:
            assign_changed(self, tab=tab if tab in TABS else "open", cursors=[""], selected=[], bulk_results=[])
            return True

        return await self._move(change)

    @rx.event
    async def apply_filters(self, form: dict):  # noqa: ANN201
        def change() -> bool:
            self.query = str(form.get("query", ""))[:100]
            self.field_code = str(form.get("field_code", ""))
            self.procedure_code = str(form.get("procedure_code", ""))
            self.channel = str(form.get("channel", "")) if form.get("channel") in CHANNELS else ""
            self.received_from = str(form.get("received_from", ""))
            self.received_to = str(form.get("received_to", ""))
            self.cursors, self.selected = [""], []
            return True

        return await self._move(change)

    @rx.event
    async def clear_filters(self):  # noqa: ANN201
        def change() -> bool:
            self.query = self.field_code = self.procedure_code = self.channel = ""
            self.received_from = self.received_to = ""
            self.cursors, self.selected = [""], []
            return True

        return await self._move(change, rx.call_script("document.getElementById('inbox-filters')?.reset()"))

    @rx.event
    async def next_page(self):  # noqa: ANN201
        def change() -> bool:
            if not self.next_cursor:
                return False
            self.cursors, self.selected = [*self.cursors, self.next_cursor], []
            return True

        return await self._move(change)

    @rx.event
    async def previous_page(self):  # noqa: ANN201
        def change() -> bool:
            if len(self.cursors) <= 1:
                return False
            self.cursors, self.selected = self.cursors[:-1], []
            return True

        return await self._move(change)

    @rx.event
    def toggle(self, dossier_id: int, checked: bool) -> None:
        rest = [i for i in self.selected if i != dossier_id]
        self.selected = [*rest, dossier_id] if checked else rest

    @rx.event
    def toggle_all(self, checked: bool) -> None:
        self.selected = list(self._versions) if checked else []

    @rx.event
    async def bulk(self, form: dict):  # noqa: ANN201
        """Assign / transfer / submit for approval every selected dossier: one event each."""
        actor, redirect = await self._actor()
        if actor is None:
            return redirect
        versions = self._versions
        targets = [(i, versions[i]) for i in self.selected if i in versions]
        self.error_vi = self.error_en = ""
        try:
            self.bulk_results = await db_write(
                workbench.bulk_act, actor, targets, str(form.get("action", "")), {k: str(v) for k, v in form.items()}
            )
        except (DomainError, ValueError) as err:
            self.bulk_results = []
            self.error_vi, self.error_en = (
                (err.vi, err.en) if isinstance(err, DomainError) else ("Thao tác không hợp lệ.", "Invalid action.")
            )
        self.selected = []
        await self._read(actor)
        return None


# --------------------------------------------------------------------------- tabs


def _tab(tab: str, icon: str, colour: str) -> rx.Component:
    active = InboxState.tab == tab
    count = InboxState.counts[tab]
    late = (tab == "overdue") & (count > 0)
    return rx.button(
        *([rx.icon(icon, size=18)] if tab == "overdue" else []),  # the one tab that must stand out
        rx.text(tr(f"inbox.tab.{tab}"), as_="span", weight="medium"),
        rx.badge(
            count,
            color_scheme=rx.cond(late, "red", "gray"),
            variant=rx.cond(late, "solid", "soft"),
            size="2",
            radius="full",
        ),
        on_click=InboxState.select_tab(tab),
        variant=rx.cond(active, "solid", rx.cond(late, "soft", "outline")),
        color_scheme=rx.cond(active | late, colour, "gray"),
        size="2",
        min_height="42px",
        font_size="16px",
        aria_pressed=rx.cond(active, "true", "false"),
        id=f"tab-{tab}",
    )


def _tabs() -> rx.Component:
    return tab_strip(*(_tab(*spec) for spec in TAB_SPECS), role="toolbar", label_key="inbox.tabs_label")


def _banner(words: rx.Component, action: rx.Component, icon: str, ident: str) -> rx.Component:
    """A red line above the list: what is late, and the button that opens the tab listing it."""
    return callout(words_and_action(words, action), icon, "red", ident, size="1", variant="surface")


def _open_tab(tab: str) -> rx.Component:
    return rx.button(tr("inbox.overdue_open"), on_click=InboxState.select_tab(tab), color_scheme="red", size="2")


def _overdue_banner() -> rx.Component:
    n = InboxState.counts["overdue"]
    return rx.cond(
        (n > 0) & (InboxState.tab != "overdue"),
        _banner(
            rx.text(rx.text(n, as_="span", weight="bold"), " ", tr("inbox.overdue_banner"), size="3"),
            _open_tab("overdue"),
            "alarm-clock",
            "overdue-banner",
        ),
    )


def _reception_banner() -> rx.Component:
    """Online/field dossiers waiting past the reception deadline: counted, and one click to the list."""
    return rx.cond(
        InboxState.reception_vi != "",
        _banner(
            rx.text(bi(InboxState.reception_vi, InboxState.reception_en), size="3"),
            rx.cond(InboxState.tab != "to_receive", _open_tab("to_receive")),
            "inbox",
            "reception-banner",
        ),
    )


# --------------------------------------------------------------------------- filters


def _filter_select(choices: rx.Var, name: str, placeholder_key: str, label_key: str, flex: str) -> rx.Component:
    """A filter over loaded choices; "any" first, it shrinks with the row (flex) on narrow screens."""
    return choice_select(
        choices,
        name=name,
        placeholder_key=placeholder_key,
        aria_label=tr(label_key),
        flex=flex,
        width="auto",
        min_width="0",
    )


def _filters() -> rx.Component:
    date_style = {**CONTROL_STYLE, "width": "140px", "padding": "8px 6px"}
    return rx.form(
        rx.flex(
            search_box(
                "inbox-search",
                "inbox.search_placeholder",
                "inbox.search_label",
                default_value=InboxState.query,
                flex="3 1 260px",
                width="auto",
                min_width="0",
            ),
            _filter_select(InboxState.fields, "field_code", "inbox.any_field", "inbox.field", "1 1 170px"),
            _filter_select(
                InboxState.procedures, "procedure_code", "inbox.any_procedure", "dossier.procedure", "1 1 190px"
            ),
            rx.el.select(
                rx.el.option(tr("inbox.any_channel"), value=""),
                *(rx.el.option(tr(f"channel.{c}"), value=c) for c in CHANNELS),
                name="channel",
                aria_label=tr("inbox.channel"),
                **{**CONTROL_STYLE, "flex": "1 1 160px", "width": "auto", "min_width": "0"},
            ),
            rx.flex(
                rx.el.label(tr("inbox.received_from"), html_for="inbox-from", font_size="15px"),
                rx.el.input(type="date", name="received_from", id="inbox-from", **date_style),
                rx.el.label(tr("inbox.received_to"), html_for="inbox-to", font_size="15px"),
                rx.el.input(type="date", name="received_to", id="inbox-to", **date_style),
                align="center",
                gap="8px",
                wrap="wrap",
            ),
            worded_button(
                "search",
                "common.search",
                type="submit",
                **DESK_BUTTON,
                id="inbox-apply",
            ),
            rx.cond(
                InboxState.filtered,
                rx.button(
                    tr("inbox.clear_filters"),
                    type="button",
                    variant="soft",
                    **DESK_BUTTON,
                    on_click=InboxState.clear_filters,
                ),
            ),
            wrap="wrap",
            gap="8px",
            **LINE,
        ),
        on_submit=InboxState.apply_filters,
        id="inbox-filters",
        width="100%",
    )


# --------------------------------------------------------------------------- table


def _deadline_cell(r: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.cond(r.colour != "", deadline_chip(r.colour)),
        rx.text(r.due, size="2", white_space="nowrap", weight=rx.cond(r.colour == "red", "bold", "regular")),
        rx.cond(
            r.left_vi != "",
            rx.text(
                bi(r.left_vi, r.left_en),
                size="2",
                white_space="nowrap",
                color=rx.cond(r.colour == "red", "var(--red-11)", "var(--gray-11)"),
                weight=rx.cond(r.colour == "red", "bold", "regular"),
            ),
        ),
        **top_aligned("1"),
    )


def _code_link(r: rx.Var, size: str, **style: str) -> rx.Component:
    """The dossier's code, opening its page (the table's first column, the phone card's title)."""
    return rx.link(
        r.code,
        href="/officer/dossiers/" + r.code,
        class_name="inbox-code",
        weight="bold",
        font_family="ui-monospace, monospace",
        **style,
        size=size,
    )


def _row(r: rx.Var) -> rx.Component:
    late = r.colour == "red"
    soon = r.colour == "amber"
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=InboxState.selected.contains(r.id),
                on_change=lambda v: InboxState.toggle(r.id, v),
                size="3",
                aria_label=tr("inbox.select_row") + " " + r.code,
            ),
            box_shadow=rx.cond(
                late, "inset 6px 0 0 var(--red-9)", rx.cond(soon, "inset 6px 0 0 var(--amber-9)", "none")
            ),
        ),
        rx.table.cell(_code_link(r, "3", white_space="nowrap")),
        rx.table.cell(rx.text(bi(r.procedure_vi, r.procedure_en), size="3")),
        rx.table.cell(rx.text(r.applicant, size="3", weight="medium")),
        rx.table.cell(rx.text(tr_choice("channel.", CHANNELS, r.channel), size="2", white_space="nowrap")),
        rx.table.cell(rx.text(r.received, size="2", white_space="nowrap")),
        rx.table.cell(_deadline_cell(r)),
        rx.table.cell(status_badge(r.status, r.status_vi, r.status_en)),
        background=rx.cond(late, "var(--red-2)", "transparent"),
        align="center",
        class_name=rx.cond(late, "inbox-row inbox-row-late", "inbox-row"),
    )


def _table() -> rx.Component:
    headers = (
        "dossier.code",
        "dossier.procedure",
        "dossier.applicant",
        "inbox.channel",
        "inbox.received",
        "inbox.due_sorted",
        "dossier.status",
    )
    all_on = (InboxState.rows.length() > 0) & (InboxState.selected.length() == InboxState.rows.length())
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(
                        rx.checkbox(
                            checked=all_on, on_change=InboxState.toggle_all, size="3", aria_label=tr("inbox.select_all")
                        ),
                        width="48px",
                    ),
                    *(rx.table.column_header_cell(tr(h), white_space="nowrap") for h in headers),
                )
            ),
            rx.table.body(rx.foreach(InboxState.rows, _row)),
            variant="surface",
            **full("2"),
            id="inbox-table",
        ),
        width="100%",
        overflow_x="auto",
    )


def _card(r: rx.Var) -> rx.Component:
    """Phones and narrow windows: one card per dossier, the deadline first."""
    late = r.colour == "red"
    return rx.card(
        rx.vstack(
            rx.hstack(
                _code_link(r, "4"),
                status_badge(r.status, r.status_vi, r.status_en),
                justify="between",
                width="100%",
                wrap="wrap",
                spacing="2",
            ),
            rx.text(bi(r.procedure_vi, r.procedure_en), size="3", weight="medium"),
            rx.text(r.applicant, size="3"),
            _deadline_cell(r),
            **spaced("2"),
        ),
        width="100%",
        border_left=rx.cond(late, "6px solid var(--red-9)", "none"),
        background=rx.cond(late, "var(--red-2)", None),
    )


def _pager() -> rx.Component:
    return rx.hstack(
        worded_button(
            "chevron-left",
            "inbox.previous",
            on_click=InboxState.previous_page,
            disabled=InboxState.page_number <= 1,
            variant="soft",
            size="3",
            id="inbox-prev",
        ),
        rx.text(tr("inbox.page"), " ", InboxState.page_number, size="3", id="inbox-page"),
        rx.button(
            tr("inbox.next"),
            rx.icon("chevron-right", size=18),
            on_click=InboxState.next_page,
            disabled=InboxState.next_cursor == "",
            variant="soft",
            size="3",
            id="inbox-next",
        ),
        rx.spacer(),
        rx.text(
            tr("inbox.keys_hint"), size="2", color_scheme="gray", display=rx.breakpoints(initial="none", md="block")
        ),
        **LINE,
        **WRAP_ROW,
    )


# --------------------------------------------------------------------------- bulk


def _may(action: Action) -> rx.Var[bool]:
    """Whether the signed-in role appears in any rule of `action` in the lifecycle table (the server still
    judges each dossier); the bar never keeps its own copy of who may do what."""
    roles = sorted({str(r) for rule in rules_for(action) for r in rule.roles})
    return rx.Var.create(roles).contains(SessionState.user_role)


def _bulk_choice_form(
    action: str, choices: rx.Var, name: str, placeholder_key: str, select_id: str, button: rx.Component
) -> rx.Component:
    """A bulk action that needs one choice (whom to assign, where to transfer); the select is labelled
    by the action's input name ("need." + name), as in the dossier page's dialog."""
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="action", value=action),
            choice_select(
                choices,
                name=name,
                placeholder_key=placeholder_key,
                aria_label=tr("need." + name),
                width="auto",
                id=select_id,
            ),
            button,
            **centred("2"),
        ),
        on_submit=InboxState.bulk,
        reset_on_submit=True,
    )


def _bulk_bar() -> rx.Component:
    may_assign = _may(Action.ASSIGN)
    may_transfer = _may(Action.TRANSFER)
    may_submit = _may(Action.SUBMIT_FOR_APPROVAL)
    return rx.cond(
        InboxState.selected.length() > 0,
        rx.card(
            rx.flex(
                rx.text(
                    tr("inbox.selected"),
                    ": ",
                    rx.text(InboxState.selected.length(), as_="span", weight="bold"),
                    size="3",
                ),
                rx.cond(
                    may_assign,
                    _bulk_choice_form(
                        "assign",
                        InboxState.assignees,
                        "assignee",
                        "inbox.choose_assignee",
                        "bulk-assignee",
                        rx.button(tr("inbox.bulk_assign"), type="submit", size="3", id="bulk-assign"),
                    ),
                ),
                rx.cond(
                    may_transfer,
                    _bulk_choice_form(
                        "transfer",
                        InboxState.centers,
                        "target_center",
                        "inbox.choose_center",
                        "bulk-center",
                        rx.button(
                            tr("inbox.bulk_transfer"), type="submit", size="3", variant="soft", id="bulk-transfer"
                        ),
                    ),
                ),
                rx.cond(
                    may_submit,
                    rx.form(
                        rx.el.input(type="hidden", name="action", value="submit_for_approval"),
                        rx.button(tr("inbox.bulk_submit"), type="submit", size="3", variant="soft", id="bulk-submit"),
                        on_submit=InboxState.bulk,
                    ),
                ),
                rx.button(tr("common.cancel"), on_click=InboxState.toggle_all(False), variant="ghost", size="3"),
                wrap="wrap",
                gap="12px",
                align="center",
            ),
            width="100%",
            id="bulk-bar",
            variant="surface",
        ),
    )


def _bulk_results() -> rx.Component:
    def line(o: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.cond(
                o.ok,
                rx.icon("circle-check", size=18, color="var(--green-10)"),
                rx.icon("circle-x", size=18, color="var(--red-10)"),
            ),
            rx.text(o.code, weight="bold", font_family="ui-monospace, monospace"),
            rx.text(rx.cond(o.ok, tr("inbox.bulk_ok"), bi(o.message_vi, o.message_en)), size="2"),
            **centred("2"),
        )

    return rx.fragment(
        rx.cond(InboxState.error_vi != "", message(InboxState.error_vi, InboxState.error_en, id_="bulk-error")),
        rx.cond(
            InboxState.bulk_results.length() > 0,
            rx.card(
                rx.vstack(
                    rx.text(tr("inbox.bulk_done"), weight="bold"),
                    rx.foreach(InboxState.bulk_results, line),
                    spacing="1",
                ),
                width="100%",
                id="bulk-results",
            ),
        ),
    )


# --------------------------------------------------------------------------- page


def officer_page() -> rx.Component:
    list_title = tr_choice("inbox.list.", TABS, InboxState.tab)
    return guarded(
        OFFICER,
        rx.hstack(
            rx.heading(tr("inbox.title"), as_="h1", size="7", weight="bold"),
            rx.text(
                rx.cond(SessionState.user_center != "", SessionState.user_center, tr("dashboard.province")),
                size="4",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.cond(
                (SessionState.user_role == "receiver") | (SessionState.user_role == "admin"),
                rx.link(
                    worded_button(
                        "user-plus",
                        "counter.open",
                        icon_size=20,
                        **TAP_BUTTON,
                        white_space="nowrap",
                    ),
                    href="/officer/counter",
                    id="open-counter",
                ),
            ),
            **LINE,
            spacing="4",
            wrap="wrap",
            margin_bottom="12px",
        ),
        rx.vstack(
            _overdue_banner(),
            _reception_banner(),
            _tabs(),
            _filters(),
            rx.heading(list_title, as_="h2", size="5", margin_top="4px"),
            _bulk_results(),
            _bulk_bar(),
            rx.cond(
                InboxState.rows.length() > 0,
                rx.fragment(
                    rx.box(_table(), display=rx.breakpoints(initial="none", md="block"), width="100%"),
                    rx.vstack(
                        rx.foreach(InboxState.rows, _card),
                        display=rx.breakpoints(initial="flex", md="none"),
                        **COLUMN,
                    ),
                ),
                empty_state("inbox.empty", "inbox"),
            ),
            _pager(),
            **COLUMN,
        ),
        wide=True,
    )
