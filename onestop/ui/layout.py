"""The frame of every page: header (name, navigation per role, language, user menu), content, footer.

Why the navigation is rendered for every role and picked with `rx.match`:
prerendered HTML must not depend on who is signed in, and the role is known only
after the token check; the links themselves are public.
"""

from __future__ import annotations

from pathlib import Path

import reflex as rx

from onestop.settings import get_settings
from onestop.ui.components.a11y import display_menu
from onestop.ui.components.assistant import LAUNCHER_CLEARANCE, assistant_panel
from onestop.ui.components.icon_action import header_icon_button, worded_button
from onestop.ui.components.styles import TAP_BUTTON, centred, quiet
from onestop.ui.i18n import LangState, tr, tr_choice
from onestop.ui.notifications import notification_bell
from onestop.ui.routes import LANDING, PageSpec, nav_for
from onestop.ui.session import SessionState
from onestop.ui.theme import BODY_SIZE, CONTENT_WIDTH, PAGE_PADDING, TAP
from onestop.ui.widgets import loading_panel

_ROLES = tuple(LANDING)  # every role that can sign in
#: Content width of work pages (officer inbox, dossier page) on wide workstation screens.
WIDE_CONTENT_WIDTH = "1760px"


def _role_label(role: rx.Var) -> rx.Var:
    return tr_choice("role.", _ROLES, role)


def _per_role(build) -> rx.Component:  # noqa: ANN001 - build(role) -> Component
    """The same piece rendered for each role, shown by the signed-in role ("" = visitor)."""
    return rx.match(SessionState.user_role, *((role, build(role)) for role in _ROLES), build(""))


# --------------------------------------------------------------------------- head


_A11Y_JS = Path(__file__).resolve().parents[2] / "assets" / "a11y.js"


def a11y_head_script() -> rx.Component:
    """`assets/a11y.js` inlined in the head: larger text / high contrast before the first paint, without a request.

    Why inline: as `<script src>` it blocked the parser behind the page's ~30 module preloads (six connections
    per host), so on a 400 kbit/s link the prerendered heading waited for most of the JavaScript (slow_link.py).
    """
    return rx.el.script(custom_attrs={"dangerouslySetInnerHTML": {"__html": _A11Y_JS.read_text(encoding="utf-8")}})


# --------------------------------------------------------------------------- header


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.image(
                src="/logo.svg",
                alt="",
                width=rx.breakpoints(initial="34px", sm="44px"),
                height=rx.breakpoints(initial="34px", sm="44px"),
                flex_shrink="0",
            ),
            rx.vstack(
                # Two short lines on a phone ("Một cửa / điện tử"), one line from tablets up.
                rx.text(
                    tr("app.name"),
                    size={"initial": "3", "xs": "4", "sm": "5"},
                    weight="bold",
                    line_height="1.15",
                    color="var(--gray-12)",
                    max_width=rx.breakpoints(initial="6em", sm="none"),
                    white_space=rx.breakpoints(initial="normal", sm="nowrap"),
                ),
                rx.text(
                    get_settings().province_name,
                    **quiet("2"),
                    display=rx.breakpoints(initial="none", sm="block"),
                ),
                spacing="0",
            ),
            **centred("2"),
        ),
        href="/",
        underline="none",
        min_width="0",
    )


def _nav_link(path: str, key: str) -> rx.Component:
    url = SessionState.router.url.path
    here = (url == path) | (url == path.rstrip("/") + "/")
    return rx.link(
        tr(key),
        href=path,
        size="4",
        weight=rx.cond(here, "bold", "medium"),
        color="var(--gray-12)",
        padding_x="10px",
        padding_y="10px",
        border_radius="8px",
        background=rx.cond(here, "var(--accent-3)", "transparent"),
        aria_current=rx.cond(here, "page", "false"),
        _hover={"background": "var(--accent-3)"},
    )


def _nav_links(role: str) -> rx.Component:
    return rx.hstack(*(_nav_link(path, key) for path, key in nav_for(role)), spacing="1", align="center")


def _lang_toggle() -> rx.Component:
    return rx.button(
        rx.box(rx.icon("languages", size=20), display=rx.breakpoints(initial="none", sm="flex")),
        tr("lang.switch"),
        on_click=LangState.toggle,
        variant="soft",
        size={"initial": "2", "sm": "3"},
        min_height="44px",
        title=tr("lang.switch_hint"),
        lang=rx.cond(LangState.ui_lang == "en", "vi", "en"),
    )


def _user_block() -> rx.Component:
    return rx.vstack(
        rx.text(SessionState.user_name, size="4", weight="bold"),
        rx.text(_role_label(SessionState.user_role), size="3", color_scheme="gray"),
        rx.cond(SessionState.user_title != "", rx.text(SessionState.user_title, size="2", color_scheme="gray")),
        rx.cond(SessionState.user_center != "", rx.text(SessionState.user_center, size="2", color_scheme="gray")),
        spacing="0",
        padding="8px 12px",
        align="start",
    )


def _user_menu() -> rx.Component:
    """Name and role always visible on desktop; sign-out one tap away."""
    return rx.cond(
        SessionState.signed_in,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("circle-user-round", size=22),
                    rx.vstack(
                        rx.text(SessionState.user_name, size="3", weight="bold", line_height="1.1"),
                        rx.text(_role_label(SessionState.user_role), size="1", line_height="1.1"),
                        spacing="0",
                        align="start",
                    ),
                    rx.icon("chevron-down", size=18),
                    variant="ghost",
                    **TAP_BUTTON,
                    title=tr("auth.user_menu"),
                ),
            ),
            rx.menu.content(
                _user_block(),
                rx.menu.separator(),
                _sign_out_item(),
                size="2",
            ),
        ),
        rx.link(rx.button(rx.icon("log-in", size=20), tr("auth.sign_in"), size="3", min_height=TAP), href="/login"),
    )


def _sign_out_item() -> rx.Component:
    """ "Sign out" in the account menu (desktop) and the phone menu: red, a full tap target."""
    return rx.menu.item(
        rx.icon("log-out", size=18), tr("auth.sign_out"), on_select=SessionState.sign_out, color="red", min_height=TAP
    )


def _mobile_menu() -> rx.Component:
    """On phones the navigation and the account live behind one big button."""

    def items(role: str) -> rx.Component:
        return rx.fragment(
            *(rx.menu.item(tr(key), on_select=rx.redirect(path), min_height=TAP) for path, key in nav_for(role))
        )

    return rx.menu.root(
        rx.menu.trigger(
            header_icon_button("menu", "nav.menu"),
        ),
        rx.menu.content(
            rx.cond(SessionState.signed_in, rx.fragment(_user_block(), rx.menu.separator())),
            _per_role(items),
            rx.menu.separator(),
            rx.cond(
                SessionState.signed_in,
                _sign_out_item(),
                rx.menu.item(
                    rx.icon("log-in", size=18), tr("auth.sign_in"), on_select=rx.redirect("/login"), min_height=TAP
                ),
            ),
            size="2",
            min_width="260px",
        ),
    )


#: The header bar: on the panel colour, an accent stripe on top, staying in view while the page scrolls.
_HEADER_BAR = {
    "background": "var(--color-panel-solid)",
    "border_bottom": "1px solid var(--gray-5)",
    "border_top": "4px solid var(--accent-9)",
    "position": "sticky",
    "top": "0",
    "z_index": "10",
    "width": "100%",
}


def header(wide: bool = False) -> rx.Component:
    return rx.el.header(
        rx.hstack(
            _brand(),
            rx.box(_per_role(_nav_links), display=rx.breakpoints(initial="none", lg="block")),
            rx.spacer(),
            _lang_toggle(),
            display_menu(),
            notification_bell(),
            rx.box(_user_menu(), display=rx.breakpoints(initial="none", lg="block")),
            rx.box(_mobile_menu(), display=rx.breakpoints(initial="block", lg="none")),
            align="center",
            spacing={"initial": "1", "sm": "2"},
            max_width=WIDE_CONTENT_WIDTH if wide else CONTENT_WIDTH,
            margin_x="auto",
            # A 360 px phone must fit logo, name, language, bell and menu on one line.
            padding_x=rx.breakpoints(initial="10px", sm="24px", lg="32px"),
            padding_y="10px",
            width="100%",
        ),
        **_HEADER_BAR,
    )


# --------------------------------------------------------------------------- footer


def _assistant_shown() -> rx.Var:
    """The assistant is for visitors and citizens (staff pages stay uncluttered)."""
    return (SessionState.user_role == "") | (SessionState.user_role == "citizen")


def footer(wide: bool = False) -> rx.Component:
    settings = get_settings()
    hours = settings.office_hours.replace("-", "–").replace(",", ", ")
    return rx.el.footer(
        rx.flex(
            rx.vstack(
                rx.text(tr("app.name"), size="4", weight="bold"),
                rx.text(tr("app.tagline"), size="3", color_scheme="gray"),
                rx.text(settings.province_name, size="3", color_scheme="gray"),
                spacing="1",
                flex="1",
            ),
            rx.vstack(
                rx.text(tr("footer.office_hours"), size="3", weight="bold"),
                rx.text(tr("footer.weekdays"), ": ", hours, size="3", color_scheme="gray"),
                rx.link(tr("nav.procedures"), href="/procedures", size="3"),
                rx.link(tr("nav.track"), href="/track", size="3"),
                spacing="1",
            ),
            direction={"initial": "column", "md": "row"},
            gap="20px",
            max_width=WIDE_CONTENT_WIDTH if wide else CONTENT_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING,
            padding_top="28px",
            # the floating assistant button must not cover the footer's last line when scrolled to the end
            padding_bottom=rx.cond(_assistant_shown(), LAUNCHER_CLEARANCE, "28px"),
            width="100%",
        ),
        background="var(--gray-2)",
        border_top="1px solid var(--gray-5)",
        width="100%",
    )


# --------------------------------------------------------------------------- page frame


def shell(*content: rx.Component, wide: bool = False) -> rx.Component:
    """Header, the page's content in a readable column, footer; a banner when the connection drops.

    `wide` lets work pages (the officer's inbox and dossier) use a 1366–1920 px workstation
    screen instead of the reading column: tables of dossiers need the width.
    """
    return rx.box(
        rx.connection_banner(),
        rx.el.a(tr("nav.skip"), href="#main", class_name="skip-link"),
        header(wide),
        rx.el.main(
            *content,
            id="main",
            max_width=WIDE_CONTENT_WIDTH if wide else CONTENT_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING,
            padding_top=rx.breakpoints(initial="20px", md="32px"),
            padding_bottom="48px",
            width="100%",
            flex="1",
        ),
        footer(wide),
        # catalog area: the assistant for visitors and citizens (staff pages stay uncluttered)
        rx.cond(_assistant_shown(), assistant_panel()),
        display="flex",
        flex_direction="column",
        min_height="100vh",
        font_size="18px",
    )


def not_allowed() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.icon("shield-x", size=48, color="var(--red-9)"),
                rx.heading(tr("auth.not_allowed_title"), as_="h1", size="7", text_align="center"),
                rx.text(tr("auth.not_allowed_body"), size=BODY_SIZE, text_align="center"),
                rx.text(
                    tr("auth.signed_in_as"),
                    ": ",
                    rx.text(SessionState.user_name, as_="span", weight="bold"),
                    " (",
                    _role_label(SessionState.user_role),
                    ")",
                    **quiet("3"),
                    text_align="center",
                ),
                rx.flex(
                    rx.link(
                        rx.button(rx.icon("house", size=20), tr("auth.go_home"), size="4", min_height=TAP),
                        href=SessionState.landing,
                    ),
                    worded_button(
                        "log-out",
                        "auth.switch_account",
                        icon_size=20,
                        size="4",
                        variant="outline",
                        min_height=TAP,
                        on_click=SessionState.sign_out,
                    ),
                    gap="12px",
                    direction={"initial": "column", "sm": "row"},
                    justify="center",
                ),
                **centred("4"),
            ),
            size="4",
            max_width="640px",
            width="100%",
        ),
        padding_y="32px",
        id="not-allowed",
    )


def guarded(
    page: PageSpec,
    *content: rx.Component,
    wide: bool = False,
    waiting: rx.Component | None = None,
    sign_in: rx.Component | None = None,
) -> rx.Component:
    """Show a protected page's content only after its on_load let this person in (see session.gate).

    `waiting` replaces the bare spinner until then: it is what the prerendered HTML shows before any JavaScript
    (a dynamic route's shell, ui/shells.py), so it should say what the page is. `sign_in` is shown to a visitor
    when the page's load called `gate(ask_here=True)`; the default (None) keeps the redirect's spinner."""
    before = waiting if waiting is not None else loading_panel()
    if sign_in is not None:
        before = rx.cond(SessionState.sign_in_page == page.key, sign_in, before)
    return shell(
        rx.cond(
            SessionState.granted_page == page.key,
            rx.fragment(*content),
            rx.cond(SessionState.denied_page == page.key, not_allowed(), before),
        ),
        wide=wide,
    )
