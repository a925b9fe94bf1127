"""Building blocks of the officer workbench and the admin pages: native selects, fields, callouts.

Why native <select> and <input>: officers work with the keyboard all day; native
controls take focus with Tab, open with the arrow keys, submit with Enter inside
a form and take part in `rx.form` data without extra wiring, at every zoom level.
"""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx

from onestop.ui.i18n import bi, tr
from onestop.ui.theme import TAP

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


def _value(value: object) -> dict:
    """`default_value` only when there is one (an empty form field has none)."""
    return {} if value is None else {"default_value": value}


def input_field(
    key: str,
    name: str,
    id_: str,
    *,
    value: object = None,
    type_: str = "text",
    required: bool = False,
    hint_key: str | None = None,
    box: dict | None = None,
    **props,  # noqa: ANN003
) -> rx.Component:
    """A labelled text input: the one shape of every field of the admin and officer forms.

    Why: each form spelled out `field_label(key, text_input(name, id_=…), html_for=…)` with the
    id twice; here the id is given once, so label and control can never point at different ids.
    `box` styles the label's column (width, flex) where a form lays fields in a row."""
    control = text_input(name, id_=id_, type_=type_, **_value(value), **props)
    return field_label(key, control, html_for=id_, required=required, hint_key=hint_key, **(box or {}))


def area_field(
    key: str,
    name: str,
    id_: str,
    *,
    value: object = None,
    rows: int = 4,
    required: bool = False,
    hint_key: str | None = None,
    **props,  # noqa: ANN003
) -> rx.Component:
    """A labelled text area (see `input_field`)."""
    control = text_area(name, id_=id_, rows=rows, **_value(value), **props)
    return field_label(key, control, html_for=id_, required=required, hint_key=hint_key)


def select_field(
    key: str,
    name: str,
    id_: str,
    options: Sequence[tuple[str, str]],
    *,
    value: object = None,
    required: bool = False,
    hint_key: str | None = None,
    box: dict | None = None,
) -> rx.Component:
    """A labelled native select over fixed (catalog key, value) options (see `input_field`)."""
    control = rx.el.select(
        *(rx.el.option(tr(label_key), value=v) for label_key, v in options),
        name=name,
        id=id_,
        **_value(value),
        **CONTROL_STYLE,
    )
    return field_label(key, control, html_for=id_, required=required, hint_key=hint_key, **(box or {}))


def choice_field(
    key: str,
    choices: rx.Var,
    name: str,
    id_: str,
    placeholder_key: str,
    *,
    value: object = None,
    required: bool = False,
    hint_key: str | None = None,
) -> rx.Component:
    """A labelled native select over Choice rows loaded for the page (see `choice_select`, `input_field`)."""
    control = choice_select(choices, name=name, placeholder_key=placeholder_key, id=id_, **_value(value))
    return field_label(key, control, html_for=id_, required=required, hint_key=hint_key)


def catalog_options(prefix: str, values: Sequence[str]) -> list[tuple[str, str]]:
    """(catalog key, value) options whose keys are `prefix` + value, e.g. "role." + "leader"."""
    return [(prefix + v, v) for v in values]


def check_field(key: str, name: str, id_: str, *, checked: object) -> rx.Component:
    """A labelled checkbox that sends "true" when ticked (the admin forms' "active" box)."""
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=name, value="true", default_checked=checked, id=id_, width="20px", height="20px"
        ),
        tr(key),
        display="flex",
        gap="8px",
        align_items="center",
    )


def check_line(box: rx.Component, label: str | rx.Var, *, text_size: str, spacing: str) -> rx.Component:
    """A checkbox and its words as one tap target at least a finger high (the label wraps both); `label` is a
    catalog key, or words from the data (a counter's name)."""
    words = tr(label) if isinstance(label, str) else label
    return rx.el.label(
        rx.hstack(box, rx.text(words, size=text_size), spacing=spacing, align="center"),
        min_height=TAP,
        display="flex",
        align_items="center",
    )


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


def radio_list(
    name: str,
    values: Sequence[str],
    key_prefix: str,
    id_prefix: str,
    *,
    spacing: str,
    line: dict,
    **root_props,  # noqa: ANN003
) -> rx.Component:
    """Radios one under another, each a whole labelled line to tap; a value's words are the catalog's
    `key_prefix + value`, its id `id_prefix + value`. `line` styles the lines, `root_props` the group."""
    return rx.radio_group.root(
        rx.vstack(
            *(
                rx.el.label(
                    rx.radio_group.item(value=v, id=f"{id_prefix}{v}"),
                    tr(f"{key_prefix}{v}"),
                    display="flex",
                    align_items="center",
                    **line,
                )
                for v in values
            ),
            spacing=spacing,
        ),
        name=name,
        size="3",
        **root_props,
    )


def search_box(id_: str, placeholder_key: str, label_key: str, **props) -> rx.Component:  # noqa: ANN003
    """The search words of a list's filter form (submitted as `query`); `props` add to or override the
    control's look (its width in the row) or set its default value."""
    return rx.el.input(
        name="query",
        id=id_,
        type="search",
        placeholder=tr(placeholder_key),
        aria_label=tr(label_key),
        **{**CONTROL_STYLE, **props},
    )
