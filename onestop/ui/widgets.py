"""Small building blocks shared by the pages: headings, stat cards, status and deadline chips, dossier cards.

Why shared: a status or a deadline must look the same on the citizen's list, the
officer's inbox and the support team's page, or people learn three languages.
"""

from __future__ import annotations

import reflex as rx

from onestop.domain.lifecycle import Status
from onestop.ui.components.styles import CENTER_ROW, COLUMN, LINE, MONO, centred, full, spaced, top_aligned
from onestop.ui.i18n import bi, tr, tr_choice
from onestop.ui.theme import BODY_SIZE, DEADLINE_COLOURS, HEADING_SIZE, SECTION_SIZE

_STATUS_COLOURS: dict[int, str] = {
    Status.DRAFT: "gray",
    Status.SUBMITTED: "blue",
    Status.RECEIVED: "cyan",
    Status.REFUSED: "red",
    Status.PROCESSING: "indigo",
    Status.SUPPLEMENT: "orange",
    Status.AWAITING_FEE: "amber",
    Status.WITHDRAWN: "gray",
    Status.STOPPED: "red",
    Status.RESULT_READY: "green",
    Status.RETURNED: "gray",
}
#: A status or deadline chip: a rounded pill with 16 px words, readable beside a dossier's code.
_CHIP = {"size": "3", "radius": "full", "font_size": "16px", "padding": "4px 12px"}
_DEADLINE_ICONS = {"green": "circle-check", "amber": "clock-alert", "red": "circle-alert", "grey": "circle-pause"}


def page_heading(title: rx.Var | str, subtitle: rx.Var | str | None = None) -> rx.Component:
    lines = [rx.heading(title, as_="h1", size=HEADING_SIZE, weight="bold")]
    if subtitle is not None:
        lines.append(rx.text(subtitle, size=BODY_SIZE, color_scheme="gray"))
    return rx.vstack(
        *lines,
        spacing="1",
        margin_bottom="20px",
        width="100%",
    )


def section(title: rx.Var | str, *children: rx.Component, **props) -> rx.Component:  # noqa: ANN003
    return rx.vstack(
        rx.heading(title, as_="h2", size=SECTION_SIZE, weight="bold"),
        *children,
        **COLUMN,
        margin_top="28px",
        **props,
    )


def stat_card(
    label: rx.Var | str,
    value: rx.Var | int | str,
    icon: str,
    colour: str = "blue",
    hint: rx.Var | str | None = None,
    **props,
) -> rx.Component:  # noqa: ANN003
    """A number people read from across the room: big figure, plain label, an icon for the skimmers."""
    words = [
        rx.text(value, size="8", weight="bold", line_height="1"),
        rx.text(label, size="3", color_scheme="gray", weight="medium"),
    ]
    if hint is not None:
        words.append(rx.text(hint, size="2", color_scheme="gray"))
    return rx.card(
        rx.hstack(
            icon_tile(rx.icon(icon, size=28), colour, "52px"),
            rx.vstack(
                *words,
                **top_aligned("1"),
            ),
            **centred("4"),
        ),
        **full("2"),
        **props,
    )


def icon_tile(icon: rx.Component, colour: str, side: str) -> rx.Component:
    """An icon on a rounded square of its colour's tint, `side` wide: the marker of a stat card or a catalog field."""
    return rx.center(
        icon,
        color=f"var(--{colour}-11)",
        background=f"var(--{colour}-3)",
        border_radius="12px",
        width=side,
        height=side,
        flex_shrink="0",
    )


def icon_badge(icon: str, icon_size: int, words: rx.Var | str, colour: str, **props) -> rx.Component:  # noqa: ANN003
    """A badge whose icon says the same as its words (a fee paid, a document the wallet holds)."""
    return rx.badge(rx.icon(icon, size=icon_size), words, color_scheme=colour, **props)


def status_badge(status: rx.Var, vi: rx.Var, en: rx.Var) -> rx.Component:
    colour = rx.match(status, *((int(code), col) for code, col in _STATUS_COLOURS.items()), "gray")
    return rx.badge(bi(vi, en), color_scheme=colour, variant="soft", white_space="nowrap", **_CHIP)


def deadline_chip(colour: rx.Var) -> rx.Component:
    """Traffic light from deadlines.deadline_colour(), with a word and an icon (never colour alone)."""
    scheme = rx.match(colour, *DEADLINE_COLOURS.items(), "gray")
    icon = rx.match(colour, *((k, rx.icon(v, size=18)) for k, v in _DEADLINE_ICONS.items()), rx.icon("circle", size=18))
    return rx.badge(
        icon, tr_choice("deadline.", DEADLINE_COLOURS, colour), color_scheme=scheme, variant="surface", **_CHIP
    )


def labelled(label_key: str, value: rx.Var | rx.Component) -> rx.Component:
    """ "Hạn xử lý: 17:00 21/11/2026" on one line that wraps gracefully on phones."""
    body = value if isinstance(value, rx.Component) else rx.text(value, as_="span", weight="medium")
    return rx.text(rx.text(tr(label_key), ": ", as_="span", color_scheme="gray"), body, size=BODY_SIZE)


def dossier_card(row: rx.Var, *, show_applicant: bool = False, show_deadline: bool = True) -> rx.Component:
    """One dossier as a card: code and status first (what people look for), then the procedure and dates."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row.code, size="4", weight="bold", **MONO),
                status_badge(row.status, row.status_label.vi, row.status_label.en),
                justify="between",
                **LINE,
                wrap="wrap",
                spacing="2",
            ),
            rx.text(bi(row.procedure), size="5", weight="medium"),
            *([labelled("dossier.applicant", row.applicant)] if show_applicant else []),
            labelled("dossier.submitted", row.submitted),
            rx.cond(
                row.due != "",
                rx.hstack(
                    labelled("dossier.due", row.due),
                    *([rx.cond(row.colour != "", deadline_chip(row.colour))] if show_deadline else []),
                    **CENTER_ROW,
                ),
                labelled("dossier.due", tr("dossier.no_due")),
            ),
            **spaced("2"),
        ),
        **full("3"),
    )


def empty_state(text_key: str, icon: str = "inbox") -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=28, color="var(--gray-10)"),
            rx.text(tr(text_key), size=BODY_SIZE),
            **centred("3"),
        ),
        **full("3"),
        variant="surface",
    )


def loading_panel() -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text(tr("common.loading"), size=BODY_SIZE), spacing="3", align="center"),
        padding_y="64px",
        width="100%",
    )


def once_loaded(loaded: rx.Var, found: rx.Var, body: rx.Component, missing: rx.Component) -> rx.Component:
    """A page read from the server: a spinner until its load has run, then `body`, or `missing` saying why not."""
    return rx.cond(loaded, rx.cond(found, body, missing), loading_panel())


def dot(size: str, margin_top: str) -> rx.Component:
    """A round accent marker before a line of text (a timeline step, an unread notice), level with its first line."""
    return rx.box(
        width=size,
        height=size,
        border_radius="50%",
        background="var(--accent-9)",
        flex_shrink="0",
        margin_top=margin_top,
    )


def card_grid(*children: rx.Component, columns: dict | None = None) -> rx.Component:
    return rx.grid(*children, columns=columns or {"initial": "1", "sm": "2", "lg": "3"}, spacing="4", width="100%")
