"""Building blocks of the citizen pages: big buttons, facts with icons, messages (the document uploader is components/upload.py).

Why these shapes: the person is often older, on a 360–414 px phone and a weak
network. Every control is at least 48 px tall and labelled in words (icons only
help), one main action per screen is full-width, messages say what to do next
and are announced to screen readers (role="alert"/"status").
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from onestop.ui.components.card import titled_card
from onestop.ui.components.styles import TAP_BUTTON, marked_list, top_aligned
from onestop.ui.i18n import LangState, bi, tr
from onestop.ui.layout import shell
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE, TAP
from onestop.ui.widgets import once_loaded

BIG = "56px"
#: What a citizen types in (a line, a box of their own words): 19 px words, as wide as the column.
_BIG_TEXT = {"size": "3", "font_size": "19px", "width": "100%"}


def back_link(href: rx.Var | str, key: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow-left", size=20), rx.text(tr(key), size="4"), spacing="2", align="center"),
        href=href,
        min_height=TAP,
        display="inline-flex",
        align_items="center",
        margin_bottom="8px",
    )


def main_button(label: rx.Var | str, icon: str, **props) -> rx.Component:  # noqa: ANN003
    """The one big action of a screen: full width on phones."""
    _grow(props, BIG, "20px")
    return rx.button(rx.icon(icon, size=24), label, **props)


def _grow(props: dict, min_height: str, font_size: str | None = None) -> None:
    """Buttons grow with their text (long Vietnamese labels, large-text mode) instead of clipping it."""
    props.setdefault("size", "4" if min_height == BIG else "3")
    props.setdefault("min_height", min_height)
    props.setdefault("height", "auto")
    props.setdefault("padding_y", "10px")
    props.setdefault("white_space", "normal")
    props.setdefault("text_align", "center")
    if min_height == BIG:
        props.setdefault("width", rx.breakpoints(initial="100%", sm="auto"))
    if font_size:
        props.setdefault("font_size", font_size)


def main_link_button(
    label: rx.Var | str, icon: str, href: rx.Var | str, variant: str = "solid", external: bool = False, **props
) -> rx.Component:  # noqa: ANN003
    """A link that looks like the big button (one element: a link, never a button inside a link)."""
    _grow(props, BIG, "20px")
    inner = (
        rx.el.a(rx.icon(icon, size=24), label, href=href, reload_document=True)
        if external
        else rx.link(rx.icon(icon, size=24), label, href=href, underline="none")
    )
    return rx.button(inner, as_child=True, variant=variant, **props)


def link_button(
    label: rx.Var | str,
    icon: str,
    href: rx.Var | str,
    *,
    external: bool = False,
    variant: str = "soft",
    new_tab: bool = False,
    **props,
) -> rx.Component:  # noqa: ANN003
    """A smaller secondary action that navigates (or downloads, with external=True).

    `rx.el.a` is React Router's Link in Reflex 0.10: files served by our own routes (PDFs,
    attachments) need `reload_document`, or the router would look for a page at that path."""
    _grow(props, TAP)
    extra = {"target": "_blank", "rel": "noopener"} if new_tab else {}
    inner = (
        rx.el.a(rx.icon(icon, size=20), label, href=href, reload_document=True, **extra)
        if external
        else rx.link(rx.icon(icon, size=20), label, href=href, underline="none")
    )
    return rx.button(inner, as_child=True, variant=variant, **props)


def cancel_button(key: str, on_click: rx.EventHandler | EventSpec, **props) -> rx.Component:  # noqa: ANN003
    """Give up something booked (a queue number, an appointment): red outline, never the screen's main colour."""
    return rx.button(tr(key), on_click=on_click, variant="outline", color_scheme="red", **TAP_BUTTON, **props)


def asked_items(items: rx.Var, item_style: dict, **props) -> rx.Component:  # noqa: ANN003
    """What the officer asks the applicant to add, one bullet each (the tracking page and the supplement page)."""
    return rx.el.ul(
        rx.foreach(items, lambda i: rx.el.li(rx.text(i, size=BODY_SIZE), **item_style)),
        **marked_list("disc", "24px"),
        **props,
    )


def supplement_until(deadline: rx.Var) -> rx.Component:
    """ "Bổ sung trước: **17:00 21/11/2026**": the date after which the dossier may be refused."""
    return rx.text(tr("track.supplement_until"), " ", rx.text(deadline, as_="span", weight="bold"), size=BODY_SIZE)


def pdf_button(label: rx.Var | str, url: rx.Var | str, **props) -> rx.Component:  # noqa: ANN003
    """A slip or receipt (a PDF from our routes) opened in a new tab, so the page stays where it was."""
    props.setdefault("width", rx.breakpoints(initial="100%", sm="auto"))
    return link_button(label, "file-down", url, external=True, new_tab=True, **props)


def dossier_task_top(title_key: str, code: rx.Var) -> tuple[rx.Component, ...]:
    """The top of a page doing one thing for a dossier (pay, supplement): back to it, the title, its code."""
    return (
        back_link("/dossiers/" + code, "pay.back"),
        rx.heading(tr(title_key), as_="h1", size=HEADING_SIZE),
        rx.text(tr("dossier.code"), ": ", rx.text(code, as_="span", weight="bold"), size=BODY_SIZE),
    )


def fact(icon: str, label: rx.Var | str, value: rx.Var | str | rx.Component) -> rx.Component:
    """ "[icon] Thời hạn giải quyết: 3 ngày làm việc" — label above value on a phone."""
    body = value if isinstance(value, rx.Component) else rx.text(value, size=BODY_SIZE, weight="medium")
    return rx.hstack(
        rx.icon(icon, size=24, color="var(--accent-11)", flex_shrink="0", margin_top="2px"),
        rx.vstack(rx.text(label, size="3", color_scheme="gray"), body, spacing="0", width="100%"),
        **top_aligned("3"),
        width="100%",
    )


def notice(
    body: rx.Var | str | rx.Component,
    icon: str = "info",
    colour: str = "blue",
    *,
    role: str | None = None,
    ident: str | None = None,
) -> rx.Component:
    """A callout in words; role="alert" for errors, "status" for confirmations."""
    text = body if isinstance(body, rx.Component) else rx.text(body, size=BODY_SIZE)
    props: dict = {}
    if role:
        props["role"] = role
    if ident:
        props["id"] = ident
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon, size=24)), text, color_scheme=colour, size="2", width="100%", **props
    )


def error_notice(text: rx.Var, ident: str) -> rx.Component:
    """Shown when the `BiText` var `text` is not empty; the same words in both languages from the server."""
    return rx.cond(text.vi != "", notice(bi(text), "circle-alert", "red", role="alert", ident=ident))


def card(*children: rx.Component, **props) -> rx.Component:  # noqa: ANN003
    props.setdefault("width", "100%")
    props.setdefault("size", "3")
    return rx.card(rx.vstack(*children, spacing="3", width="100%"), **props)


def card_titled(key: str, *children: rx.Component, **props) -> rx.Component:  # noqa: ANN003
    """A citizen page's card under its own h2 (components/card.titled_card at the citizen pages' size 3)."""
    props.setdefault("size", "3")
    return titled_card(key, *children, **props)


def section_title(key_or_text: rx.Var | str) -> rx.Component:
    text = tr(key_or_text) if isinstance(key_or_text, str) else key_or_text
    return rx.heading(text, as_="h2", size={"initial": "5", "md": "6"}, weight="bold")


def bilingual_list(vi: rx.Var, en: rx.Var, text_size: str, **props) -> rx.Component:  # noqa: ANN003
    """A bulleted list the server wrote in both languages (a fee's lines), shown in the reader's."""
    return rx.el.ul(
        rx.cond(
            LangState.ui_lang == "en",
            rx.foreach(en, lambda line: rx.el.li(rx.text(line, size=text_size))),
            rx.foreach(vi, lambda line: rx.el.li(rx.text(line, size=text_size))),
        ),
        **props,
        padding_left="20px",
        margin="0",
    )


def focus_target(child: rx.Component, ident: str) -> rx.Component:
    """A box the page moves the focus to (by its id) after a refused step, so a screen reader reads `child`."""
    return rx.box(child, id=ident, tab_index=-1, width="100%")


def focused_error(text: rx.Var, ident: str, notice_ident: str) -> rx.Component:
    """The server's refusal of a step (see `error_notice`) in a box the page focuses by `ident`."""
    return focus_target(error_notice(text, notice_ident), ident)


def page_column(*children: rx.Component, max_width: str = "640px", **props) -> rx.Component:  # noqa: ANN003
    """A citizen page's one column of blocks: a phone's width, and no wider than `max_width` on a desktop."""
    return rx.vstack(*children, spacing="4", width="100%", max_width=max_width, **props)


def reading_column(*children: rx.Component) -> rx.Component:
    """The column of a page one reads more than fills in (a procedure, a dossier's progress, one's bookings)."""
    return page_column(*children, max_width="760px")


def loaded_page(state: type[rx.State], body: rx.Component, missing: rx.Component) -> rx.Component:
    """A public page read from the server by `state` (its `loaded` and `found`): a spinner, then `body` or `missing`."""
    return shell(once_loaded(state.loaded, state.found, body, missing))  # type: ignore[attr-defined]


def big_label(key: str, ident: str) -> rx.Component:
    """The large label of a citizen's input (`ident` is the input's id)."""
    return rx.el.label(tr(key), html_for=ident, font_size="19px", font_weight="600")


def own_words(label_key: str, ident: str, value: rx.Var, on_change: rx.EventHandler) -> tuple[rx.Component, ...]:
    """A labelled box for the person's own words (a note to the officer, a comment): label, then the box."""
    return (
        big_label(label_key, ident),
        rx.text_area(
            id=ident,
            value=value,
            on_change=on_change,
            rows="4",
            **_BIG_TEXT,
            debounce_timeout=400,
        ),
    )


def need_badge(required: rx.Var, size: str) -> rx.Component:
    """Whether a document must be sent: "Bắt buộc" in red or "Không bắt buộc" in grey."""
    return rx.cond(
        required,
        rx.badge(tr("procedure.required"), color_scheme="red", variant="soft", size=size),
        rx.badge(tr("procedure.optional"), color_scheme="gray", variant="soft", size=size),
    )


def due_fact(due: rx.Var) -> rx.Component:
    """The legal due date, once the center has received the dossier."""
    return fact("calendar-check", tr("dossier.due"), rx.text(due, size="5", weight="bold"))


def expected_due_fact(expected: rx.Var, **ident: str) -> rx.Component:
    """Before reception: the due date to expect if the center receives the dossier now, and that it is an estimate."""
    return fact(
        "calendar-clock",
        tr("track.expected_due"),
        rx.vstack(
            rx.text(expected, size="5", weight="bold", **ident),
            rx.text(tr("track.expected_note"), size="3", color_scheme="gray"),
            spacing="0",
        ),
    )


def big_input(ident: str, name: str, **props) -> rx.Component:  # noqa: ANN003
    """A citizen's large one-line input (a finger's height, 19 px text), its id `ident` for its label."""
    return rx.input(id=ident, name=name, **props, height=TAP, **_BIG_TEXT)
