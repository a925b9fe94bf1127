"""Building blocks of the officer workbench and the admin pages: native selects, fields, callouts.

Why native <select> and <input>: officers work with the keyboard all day; native
controls take focus with Tab, open with the arrow keys, submit with Enter inside
a form and take part in `rx.form` data without extra wiring, at every zoom level.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.i18n import bi, tr

#: Looks of a native control that matches Radix's size-3 fields.
CONTROL_STYLE = {
    "min_height": "44px",
    "padding": "8px 12px",
    "font_size": "16px",
    "border": "1px solid var(--gray-7)",
    "border_radius": "8px",
    "background": "var(--color-panel-solid)",
    "color": "var(--gray-12)",
    "width": "100%",
}


def choice_select(choices: rx.Var, *, name: str, placeholder_key: str | None = None, **props) -> rx.Component:  # noqa: ANN003
    """A native select over a list of Choice rows (value, label_vi, label_en)."""
    first = [rx.el.option(tr(placeholder_key), value="")] if placeholder_key else []
    return rx.el.select(
        *first,
        rx.foreach(choices, lambda c: rx.el.option(bi(c.label_vi, c.label_en), value=c.value)),
        name=name,
        **{**CONTROL_STYLE, **props},
    )


def field_label(
    key: str, control: rx.Component, *, html_for: str, required: bool = False, hint_key: str | None = None, **props
) -> rx.Component:  # noqa: ANN003
    """A visible label above its control (never a placeholder alone), with an optional hint."""
    parts = [
        rx.el.label(tr(key), " *" if required else "", html_for=html_for, font_weight="600", font_size="16px"),
        control,
    ]
    if hint_key:
        parts.append(rx.text(tr(hint_key), size="2", color_scheme="gray"))
    return rx.vstack(*parts, **{"spacing": "1", "width": "100%", "align": "start", **props})


def text_input(name: str, *, id_: str, type_: str = "text", **props) -> rx.Component:  # noqa: ANN003
    return rx.el.input(name=name, id=id_, type=type_, **{**CONTROL_STYLE, **props})


def text_area(name: str, *, id_: str, rows: int = 4, **props) -> rx.Component:  # noqa: ANN003
    return rx.el.textarea(name=name, id=id_, rows=rows, **{**CONTROL_STYLE, "font_family": "inherit", **props})


def message(
    vi: rx.Var, en: rx.Var, *, colour: str = "red", icon: str = "circle-alert", id_: str = "", **props
) -> rx.Component:  # noqa: ANN003
    """A server message in both languages (errors, conflicts, confirmations), announced to screen readers."""
    return rx.callout(
        bi(vi, en), icon=icon, color_scheme=colour, size="2", width="100%", role="alert", id=id_ or None, **props
    )


def outcome_badge(outcome: rx.Var) -> rx.Component:
    """Hand-over timeliness from the control sheet: early / on time / late."""
    return rx.match(
        outcome,
        ("early", rx.badge(rx.icon("circle-check", size=16), tr("outcome.early"), color_scheme="green", size="2")),
        ("on_time", rx.badge(rx.icon("circle-check", size=16), tr("outcome.on_time"), color_scheme="green", size="2")),
        ("late", rx.badge(rx.icon("circle-alert", size=16), tr("outcome.late"), color_scheme="red", size="2")),
        rx.fragment(),
    )
